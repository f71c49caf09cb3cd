/**
 * The JavaScript guest side cannot drift from wit/: the committed declarations (guests/js/types/)
 * are what jco generates from wit/ now, the guests type-check against them, and the committed
 * builds are those of the current sources (check:guests' input-hash check, guests/js/build.mjs).
 */
import { spawnAsync } from '../helpers/spawn-async.js';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

interface JsGuest { name: string; dir: string; source: string; target: string; record: string }
const types = (await import(join(ROOT, 'guests/js/types.mjs'))) as { generateGuestTypes(): Promise<Map<string, string>>; typesDir: string };
const build = (await import(join(ROOT, 'guests/js/build.mjs'))) as { jsGuests(): JsGuest[]; staleness(g: JsGuest): string | undefined };

function committedTypes(dir: string, base = dir): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) for (const [k, v] of committedTypes(p, base)) out.set(k, v);
    else out.set(relative(base, p), readFileSync(p, 'utf8'));
  }
  return out;
}

describe('JavaScript guest types', () => {
  it('the committed guests/js/types/ are exactly what jco generates from wit/ (node guests/js/types.mjs)', async () => {
    const generated = await types.generateGuestTypes();
    const committed = committedTypes(types.typesDir);
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [name, text] of generated) expect(committed.get(name), name).toBe(text);
    // Both versions of wasi:io/poll are declared (jco alone keeps one of them).
    const all = [...generated.values()].join('\n');
    expect(all).toContain("declare module 'wasi:io/poll@0.2.0'");
    expect(all).toContain("declare module 'wasi:io/poll@0.2.12'");
  });

  it('the guests and their library type-check against those declarations', async () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const r = await spawnAsync(process.execPath, [tsc, '-p', join(ROOT, 'guests/js/tsconfig.json')]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});

describe('JavaScript guest builds', () => {
  const guests = build.jsGuests();

  it('the committed builds are those of the current sources, wit/ and componentize-js', () => {
    expect(guests.map((g) => g.name)).toEqual(['js-facedetect', 'js-i2c-spi']);
    for (const g of guests) expect(build.staleness(g), g.name).toBeUndefined();
  });

  it('a changed input or a replaced binary makes a build stale', () => {
    const g = guests[0]!;
    const record = JSON.parse(readFileSync(g.record, 'utf8')) as { files: Record<string, string>; inputs: string; output: string };
    const dir = tempDir('js-build');
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify({ ...record, inputs: '0'.repeat(64), files: { ...record.files, 'guests/js/lib/nms.js': '0'.repeat(64) } }));
    expect(build.staleness({ ...g, record: edited })).toMatch(/inputs changed: guests\/js\/lib\/nms\.js/);
    const replaced = join(dir, 'replaced.json');
    writeFileSync(replaced, JSON.stringify({ ...record, output: '0'.repeat(64) }));
    expect(build.staleness({ ...g, record: replaced })).toMatch(/not the one its record describes/);
  });
});

/**
 * Docs that run: every shell, TypeScript and JavaScript block of README.md and docs/ runs as written,
 * or says why not (test/docs/extract.mjs has the marks). Shell blocks run command by command in a
 * sandbox of the checkout (test/docs/sandbox.mjs), with `wasi-edge` and `npx wasi-edge` being the
 * built CLI; the commands that set up a machine or run a whole suite are checked against .ci/run.
 * TypeScript and JavaScript blocks are type-checked together by the project's tsc (strict, against
 * the built package's types, imported as 'wasi-edge-host'), then each runs with node and must end by
 * itself with status 0.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allBlocks, RUNNABLE } from './extract.mjs';
import { makeSandbox } from './sandbox.mjs';
import { ciMissing, shellCommands } from './shell.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CI_RUN = readFileSync(join(ROOT, '.ci/run'), 'utf8');
const blocks = allBlocks(ROOT);
const name = (b: { file: string; line: number; lang: string }) => `${b.file}:${b.line} ${b.lang || '(no language)'}`;
const kind = (b: { lang: string }): string | undefined => (RUNNABLE as Record<string, string>)[b.lang];
const sandboxes: string[] = [];
afterAll(() => {
  for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
});

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a process without blocking this worker (vitest's own messages keep flowing); at `timeout` it
 * and everything it started (its own process group) are killed.
 */
function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout: number }): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), options.timeout);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function sandbox(files: Record<string, string>) {
  const s = makeSandbox(ROOT, files);
  sandboxes.push(s.dir);
  return s;
}

describe('every block is marked', () => {
  it('a block in a language that runs says whether it runs; a block without a language gets one', () => {
    const problems = blocks.flatMap((b) => {
      if (b.mark?.error) return [`${name(b)}: ${b.mark.error}`];
      if (!b.lang) return [`${name(b)}: give the block a language (text for output, sh for commands)`];
      if (kind(b) && !b.mark) return [`${name(b)}: put <!-- runs --> or <!-- no-run: why --> on the line above it`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('a reason that names a path names one that exists', () => {
    const missing = blocks.flatMap((b) =>
      b.mark?.kind === 'no-run' ? [...b.mark.reason.matchAll(/\b((?:test|scripts|guests|src|bench)\/[\w./-]+\.\w+)/g)].map((m) => m[1]).filter((p) => !existsSync(join(ROOT, p))).map((p) => `${name(b)}: ${p}`) : [],
    );
    expect(missing).toEqual([]);
  });
});

const shell = blocks.filter((b) => kind(b) === 'sh' && b.mark?.kind === 'runs');
describe('shell blocks', () => {
  it.each(shell.map((b) => [name(b), b] as const))('%s', async (_n, b) => {
    const { dir, env } = sandbox(b.mark.files);
    for (const { command, status, ciOnly } of shellCommands(b.code)) {
      if (ciOnly) {
        expect(ciMissing(command, CI_RUN), command).toBe('');
        continue;
      }
      const r = await run('bash', ['-c', command], { cwd: dir, env, timeout: 240_000 });
      expect({ command, status: r.status, signal: r.signal }, `${command}\n${r.stdout}\n${r.stderr}`).toEqual({ command, status, signal: null });
    }
  }, 600_000);
});

const code = blocks.filter((b) => (kind(b) === 'ts' || kind(b) === 'js') && b.mark?.kind === 'runs');
describe('TypeScript and JavaScript blocks', () => {
  const compiled = mkdtempSync(join(tmpdir(), 'wasi-edge-docs-tsc-'));
  sandboxes.push(compiled);
  const fileOf = (b: { file: string; line: number; lang: string }) => `${b.file.replace(/[/.]/g, '_')}_${b.line}.${kind(b) === 'ts' ? 'ts' : 'mjs'}`;
  let errors = '';

  beforeAll(async () => {
    // One tsc over all snippets, as a consumer would compile them: the package from node_modules.
    const { dir } = sandbox({});
    mkdirSync(join(dir, 'snippets'));
    for (const b of code) writeFileSync(join(dir, 'snippets', fileOf(b)), b.code);
    writeFileSync(
      join(dir, 'snippets/tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM'], strict: true,
          allowJs: true, checkJs: true, skipLibCheck: true, types: ['node'], outDir: compiled, rootDir: '.',
        },
        include: ['*.ts', '*.mjs'],
      }),
    );
    const r = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'snippets')], { timeout: 110_000 });
    errors = r.stdout + r.stderr;
  }, 120_000);

  it.each(code.map((b) => [name(b), b] as const))('%s', async (_n, b) => {
    const file = fileOf(b);
    expect(errors.split('\n').filter((l) => l.includes(file)).join('\n'), 'tsc').toBe('');
    const { dir, env } = sandbox(b.mark.files);
    const js = file.replace(/\.ts$/, '.js');
    copyFileSync(join(compiled, js), join(dir, basename(js)));
    const r = await run(process.execPath, [join(dir, js)], { cwd: dir, env, timeout: 120_000 });
    expect({ status: r.status, signal: r.signal }, `${r.stdout}\n${r.stderr}`).toEqual({ status: 0, signal: null });
  }, 180_000);
});

/**
 * wit/UPSTREAM.md is true, and scripts/compare-upstream.mjs can tell when it is not. The upstream
 * texts below are written here from upstream's wasi-spi history (3fe70d6, then a4797e2 "get devices
 * -> open"), laid out differently from our copies and without their comments, so an equal verdict
 * means the tokens agree, not that a file was compared with itself.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const COMMON = `package wasi:spi;
interface spi {
  variant error { overrun, mode-fault, frame-format, chip-select-fault, other(string), }
  variant operation { read(u64), write(list<u8>), transfer(list<u8>), delay-ns(u32), }
  variant operation-result { read(list<u8>), write, transfer(list<u8>), delay, }
`;
const SPI_3FE70D6 = `${COMMON}
  enum mode { mode0, mode1, mode2, mode3 }
  record config { frequency: u32, mode: mode, lsb-first: bool, }
  resource spi-device {
    configure: func(config: config) -> result<_, error>;
    read: func(len: u64) -> result<list<u8>, error>;
    write: func(data: list<u8>) -> result<_, error>;
    transfer: func(data: list<u8>) -> result<list<u8>, error>;
    transaction: func(operations: list<operation>) -> result<list<operation-result>, error>;
  }
  get-device-names: func() -> list<string>;
  open-device: func(name: string) -> result<spi-device, error>;
}
world wasi-spi-host { import spi; }
`;
// a4797e2 as upstream has it: `write` returns `result<error>` (UPSTREAM.md's deviation).
const SPI_A4797E2 = `${COMMON}
  resource spi-device {
    read: func(len: u64) -> result<list<u8>, error>;
    /* upstream's text */ write: func(data: list<u8>) -> result<error>;
    transfer: func(data: list<u8>) -> result<list<u8>, error>;
    transaction: func(operations: list<operation>) -> result<list<operation-result>, error>;
  }
  open: func(name: string) -> result<spi-device, error>;
}
world wasi-spi { import spi; }
`;
const WORLD = 'package wasi:spi;\nworld wasi-spi-world {\n  import spi;\n}\n';

function compare(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/compare-upstream.mjs'), ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

function git(dir: string, ...args: string[]) {
  const r = spawnSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

/** A git repository with the two upstream revisions, each under the name UPSTREAM.md gives it. */
function spiRepo(dir: string, head: string = SPI_A4797E2): string {
  mkdirSync(join(dir, 'wit'), { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'remote', 'add', 'origin', 'https://github.com/WebAssembly/wasi-spi.git');
  writeFileSync(join(dir, 'wit/world.wit'), WORLD);
  writeFileSync(join(dir, 'wit/spi.wit'), SPI_3FE70D6);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'wasi spi proposal');
  git(dir, 'branch', '3fe70d6');
  writeFileSync(join(dir, 'wit/spi.wit'), head);
  git(dir, 'commit', '-q', '-am', 'get devices -> open');
  git(dir, 'branch', 'a4797e2');
  return dir;
}

describe('scripts/compare-upstream.mjs against wit/UPSTREAM.md', () => {
  it('a clone of wasi-spi: both revisions equal our copies (the write deviation applied); HEAD is the current one', () => {
    const tmp = tempDir('upstream');
    const r = compare([spiRepo(tmp)]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/^equal +wasi:spi \(current\) \(wit\/deps\/spi\/\) vs WebAssembly\/wasi-spi@a4797e2:wit\/, 1 deviation\(s\) applied$/m);
    expect(r.out).toMatch(/^equal +wasi:spi \(previous\) \(wit\/spi-3fe70d6\/\) vs WebAssembly\/wasi-spi@3fe70d6:wit\/$/m);
    const heads = r.out.split('\n').filter((l) => l.includes("at the checkout's HEAD"));
    expect(heads[0]).toMatch(/the same$/);
    expect(heads[1]).toMatch(/upstream has moved/);
  });

  it('a later upstream change is reported at HEAD without failing; a recorded commit that differs fails', () => {
    const tmp = tempDir('upstream');
    const dir = spiRepo(tmp);
    writeFileSync(join(dir, 'wit/spi.wit'), SPI_A4797E2.replace('read: func(len: u64)', 'read: func(len: u32)'));
    git(dir, 'commit', '-q', '-am', 'later');
    const later = compare([dir]);
    expect(later.status, later.out).toBe(0);
    expect(later.out).toMatch(/HEAD \(\w+\): upstream has moved: wit\/deps\/spi\/spi.wit differs .*"u32/);

    const tmp2 = tempDir('upstream');
    const wrong = compare([spiRepo(tmp2, SPI_A4797E2.replace('transfer: func(data: list<u8>)', 'transfer: func(bytes: list<u8>)'))]);
    expect(wrong.status).toBe(1);
    expect(wrong.out).toMatch(/^DIFFERS wasi:spi \(current\)/m);
    expect(wrong.out).toMatch(/upstream "bytes : list < u8 >/);
  });

  it('when upstream fixes write, the deviation is reported as stale', () => {
    const tmp = tempDir('upstream');
    const fixed = compare([spiRepo(tmp, SPI_A4797E2.replace('result<error>;', 'result<_, error>;'))]);
    expect(fixed.status).toBe(1);
    expect(fixed.out).toContain('the deviation "write : func ( data : list < u8 > ) -> result < error > ;" is not in upstream\'s text any more');
  });

  it('a snapshot that is not a git checkout must equal one row; unknown repositories are a usage error', () => {
    const tmp = tempDir('upstream');
    mkdirSync(join(tmp, 'wit'));
    writeFileSync(join(tmp, 'wit/world.wit'), WORLD);
    writeFileSync(join(tmp, 'wit/spi.wit'), SPI_3FE70D6);
    expect(compare([tmp, '--repo', 'WebAssembly/wasi-spi']).status).toBe(0);
    expect(compare([tmp, '--repo', 'WebAssembly/wasi-spi', '--folder', 'deps/spi/']).status).toBe(1);
    writeFileSync(join(tmp, 'wit/spi.wit'), SPI_3FE70D6.replace('lsb-first: bool', 'lsb-first: u8'));
    expect(compare([tmp, '--repo', 'WebAssembly/wasi-spi']).status).toBe(1);
    expect(compare([tmp, '--repo', 'nobody/nothing']).status).toBe(2);
  });

  it('every folder of wit/deps/ is accounted for in UPSTREAM.md', () => {
    const text = readFileSync(join(ROOT, 'wit/UPSTREAM.md'), 'utf8');
    for (const d of readdirSync(join(ROOT, 'wit/deps'))) expect(text, d).toContain(`deps/${d}/`);
  });
});

describe('the WASI 0.2.12 packages are the ones jco 1.35.0 ships', () => {
  // jco 1.35.0 (the runner's own, @bytecodealliance/jco) has them as separate packages.
  it.each(['cli', 'clocks', 'filesystem', 'io', 'random', 'sockets'])('wasi:%s', (name) => {
    const ours = readFileSync(join(ROOT, 'wit/deps', name, 'package.wit'), 'utf8');
    const jco = readFileSync(join(ROOT, 'node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12', `wasi-${name}`, 'package.wit'), 'utf8');
    expect(ours).toBe(jco);
  });
});

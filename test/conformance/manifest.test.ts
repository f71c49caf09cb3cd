/**
 * The manifest reader, the host-neutral fixture mapping, output comparison, and the CLI commands.
 */
import { describe, expect, it } from 'vitest';
import { spawnAsync } from '../helpers/spawn-async.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../../src/cli/args.js';
import { configForFixture } from '../../src/conformance/fixture.js';
import { loadSuite, ManifestError, readManifest } from '../../src/conformance/manifest.js';
import { compare, guestToHost, outputLines } from '../../src/conformance/suite.js';
import { parseConfig } from '../../src/host/config.js';
import { ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('manifests');
function manifest(name: string, body: unknown): string {
  mkdirSync(join(dir, 'i2c'), { recursive: true });
  const file = join(dir, 'i2c', `${name}.json`);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('manifest reader', () => {
  it('expands cases, inheriting component, fixture and invocation from the file', () => {
    const file = manifest('group', {
      interface: 'i2c',
      component: 'x.wasm',
      fixture: { i2c: { buses: [] } },
      invoke: { args: ['a'], env: { K: 'v' } },
      cases: [
        { name: 'one', expect: { stdout: ['x'] } },
        { name: 'two', invoke: { args: ['b'] }, fixture: { nn: {} }, expect: { exit: 1, stdoutContains: [{ regex: 'y+' }] }, pins: ['p'] },
      ],
    });
    const [one, two] = readManifest(file, dir);
    expect(one).toMatchObject({ id: 'i2c/group/one', component: join(dir, 'i2c/x.wasm'), invoke: { args: ['a'], env: { K: 'v' } }, expect: { exit: 0 } });
    expect(two).toMatchObject({ id: 'i2c/group/two', invoke: { args: ['b'], env: { K: 'v' } }, fixture: { i2c: { buses: [] }, nn: {} }, pins: ['p'] });
  });
  it('a file without cases is one case named after the file', () => {
    const [c] = readManifest(manifest('single', { interface: 'i2c', component: 'x.wasm', expect: { exit: 'trap' } }), dir);
    expect(c).toMatchObject({ id: 'i2c/single', expect: { exit: 'trap' } });
  });
  it('refuses unknown keys, bad regexes, duplicate case names, missing expectations', () => {
    expect(() => readManifest(manifest('k', { interface: 'i2c', component: 'x', expect: {}, extra: 1 }), dir)).toThrow(/extra is not a manifest key/);
    expect(() => readManifest(manifest('r', { interface: 'i2c', component: 'x', expect: { stdout: [{ regex: '(' }] } }), dir)).toThrow(/not a valid regular expression/);
    expect(() => readManifest(manifest('d', { interface: 'i2c', component: 'x', cases: [{ name: 'a', expect: {} }, { name: 'a', expect: {} }] }), dir)).toThrow(/used twice/);
    expect(() => readManifest(manifest('m', { interface: 'i2c', component: 'x' }), dir)).toThrow(ManifestError);
    expect(() => readManifest(manifest('i', { interface: 'gpio', component: 'x', expect: {} }), dir)).toThrow(/interface/);
  });
  it('the committed suite has a case for every interface, and every component exists', () => {
    const cases = loadSuite();
    for (const iface of ['sensor', 'i2c', 'spi', 'nn', 'vision']) expect(cases.some((c) => c.interface === iface), iface).toBe(true);
    for (const c of cases) expect(existsSync(c.component), c.component).toBe(true);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });
});

describe('fixture mapping', () => {
  it('maps every fixture of the committed suite to a configuration this host accepts', () => {
    for (const c of loadSuite()) expect(() => parseConfig(configForFixture(c.fixture, c.baseDir), c.baseDir), c.id).not.toThrow();
  });
  it('grants, 10-bit buses, unavailable buses and renamed faults', () => {
    const cfg = parseConfig(configForFixture({
      i2c: { buses: [{ name: 'a', granted: false }, { name: 'b', addressing: '10-bit', faults: [{ kind: 'bus-stuck' }] }, { name: 'c', unavailable: true }] },
    }, dir));
    expect(cfg.i2c.allow).toEqual(['b', 'c']);
    expect(cfg.i2c.buses.b).toMatchObject({ kind: 'simulated', tenBit: true, faults: [{ kind: 'stuck' }] });
    expect(cfg.i2c.buses.c).toMatchObject({ kind: 'linux' });
    expect(cfg.sensor.devices).toEqual({});
    expect(cfg.nn.models).toEqual({});
  });
  it('refuses a fixture key it does not know', () => {
    expect(() => configForFixture({ gpio: {} }, dir)).toThrow(/fixture.gpio/);
    expect(() => configForFixture({ sensor: { devices: [{ name: 'x', source: 'webcam' }] } }, dir)).toThrow(/source/);
  });
});

describe('comparison of outcomes with expectations', () => {
  const none = () => undefined;
  it('exact stdout: every line, no more and no fewer', () => {
    expect(compare({ exit: 0, stdout: ['a', { regex: 'b\\d' }] }, { exit: 0, stdout: 'a\nb1\n', stderr: '' }, none)).toEqual([]);
    expect(compare({ exit: 0, stdout: ['a'] }, { exit: 0, stdout: 'a\nextra\n', stderr: '' }, none)).toEqual(['stdout line 2 "extra" was not expected']);
    expect(compare({ exit: 0, stdout: ['a', 'b'] }, { exit: 0, stdout: 'a\n', stderr: '' }, none)).toEqual(['stdout line 2 missing, expected "b"']);
  });
  it('regexes match whole lines only', () => {
    expect(compare({ exit: 0, stdout: [{ regex: 'b' }] }, { exit: 0, stdout: 'abc\n', stderr: '' }, none)).toHaveLength(1);
  });
  it('stdoutContains: in order, other lines between', () => {
    expect(compare({ exit: 0, stdoutContains: ['a', 'c'] }, { exit: 0, stdout: 'a\nb\nc\n', stderr: '' }, none)).toEqual([]);
    expect(compare({ exit: 0, stdoutContains: ['c', 'a'] }, { exit: 0, stdout: 'a\nb\nc\n', stderr: '' }, none)).toHaveLength(1);
  });
  it('exit status and trap', () => {
    expect(compare({ exit: 'trap' }, { exit: 0, stdout: '', stderr: '' }, none)).toEqual(['exit 0, expected trap']);
    expect(compare({ exit: 1 }, { exit: 1, stdout: '', stderr: '' }, none)).toEqual([]);
  });
  it('files through the preopens', () => {
    const out = tempDir('files');
    writeFileSync(join(out, 'f.txt'), 'hello');
    const map = (g: string) => guestToHost({ '/out': out }, g);
    expect(compare({ exit: 0, files: { '/out/f.txt': { contents: 'hello', size: 5, sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' } } }, { exit: 0, stdout: '', stderr: '' }, map)).toEqual([]);
    expect(compare({ exit: 0, files: { '/out/g.txt': { size: 1 } } }, { exit: 0, stdout: '', stderr: '' }, map)).toEqual(['file /out/g.txt was not written']);
    expect(outputLines('')).toEqual([]);
  });
});

describe('CLI: conformance and check', () => {
  const CLI = join(ROOT, 'dist/cli/main.js');
  const cli = (...args: string[]) => spawnAsync(process.execPath, [CLI, ...args]);
  it('parses the new commands and options', () => {
    expect(parseArgs(['conformance', '--interface', 'spi', '--json', 'r.json'])).toMatchObject({ command: 'conformance', interface: 'spi', json: 'r.json' });
    expect(parseArgs(['check', 'g.wasm', '--scenario', 'a', '-s', 'b.json', '--timeout', '3', '--', 'x'])).toMatchObject({
      command: 'check', component: 'g.wasm', scenarios: ['a', 'b.json'], limits: { timeoutMs: 3000 }, guestArgs: ['x'],
    });
    expect(() => parseArgs(['check'])).toThrow(/usage: wasi-edge check/);
    expect(() => parseArgs(['check', 'g.wasm', '--timeout', '-1'])).toThrow(/--timeout/);
  });
  it('`wasi-edge conformance --interface spi --json` prints the table, the totals and a JSON report; exit 0', async () => {
    const json = join(dir, 'report.json');
    const r = await cli('conformance', '--interface', 'spi', '--json', json);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^pass {2}spi\/errors\/overrun/m);
    expect(r.stdout).toMatch(/^total +(\d+)\/\1 passed \(100\.0 %\)$/m);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.failed).toBe(0);
    expect(report.total).toBe(report.passed);
  });
  it('`wasi-edge conformance --interface gpio` is a usage error', async () => {
    const r = await cli('conformance', '--interface', 'gpio');
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/--interface should be one of sensor, i2c, spi, nn, vision/);
  });
  it('`wasi-edge check` exits 1 when the guest traps, 0 when it exits cleanly', async () => {
    const bad = await cli('check', join(ROOT, 'fixtures/conformance/check/trap.wasm'), '--scenario', 'nominal');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/nominal\s+trapped\s+trap: /);
    const good = await cli('check', join(ROOT, 'fixtures/conformance/check/clean.wasm'), '--scenario', 'nominal', '-q');
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/1 exited cleanly, 0 returned an error, 0 trapped, 0 hung/);
  });
});

describe('spec-note pins', () => {
  it('every pin of every case names a spec-note section that exists', () => {
    const slug = (h: string) => h.trim().toLowerCase().replace(/[^\w\- ]+/g, '').replace(/ /g, '-');
    for (const c of loadSuite()) {
      for (const pin of c.pins) {
        const [file, anchor] = pin.split('#');
        const path = join(ROOT, file!);
        expect(existsSync(path), `${c.id}: ${pin}`).toBe(true);
        const text = readFileSync(path, 'utf8');
        const anchors = new Set([
          ...[...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]),
          ...[...text.matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1]!)),
        ]);
        expect(anchors.has(anchor!), `${c.id}: ${pin}`).toBe(true);
      }
    }
  });
});

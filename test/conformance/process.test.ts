/**
 * The process-level runner: `wasi-edge conformance --host TEMPLATE` runs each case as a separate
 * process of the host under test, here this host's own CLI (`wasi-edge run {component} --fixture
 * {fixture}`). npm test runs one case of every manifest that way; .ci/run runs the whole suite
 * (set WASI_EDGE_CONFORMANCE_PROCESS=all to run it here). A host that does nothing, or fails,
 * must fail the cases.
 */
import { describe, expect, it } from 'vitest';
import { spawnAsync } from '../helpers/spawn-async.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { absoluteFixture, readCaseFile } from '../../src/conformance/case-file.js';
import { loadSuite } from '../../src/conformance/manifest.js';
import { fillTemplate, outcomeOf, runCasesWithHost, splitTemplate } from '../../src/conformance/process-runner.js';
import { ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const CLI = join(ROOT, 'dist/cli/main.js');
const THIS_HOST = `${process.execPath} ${CLI} run {component} --fixture {fixture} --quiet`;

describe('command templates', () => {
  it('split as a shell would, without one; placeholders filled per case', () => {
    const words = splitTemplate(`other-host run "{component}" --config={fixture} 'a b' c\\ d -- {args}`);
    expect(words).toEqual(['other-host', 'run', '{component}', '--config={fixture}', 'a b', 'c d', '--', '{args}']);
    expect(fillTemplate(words, { component: '/x/g.wasm', fixture: '/t/case.json', args: ['open', 'flash0'] })).toEqual([
      'other-host', 'run', '/x/g.wasm', '--config=/t/case.json', 'a b', 'c d', '--', 'open', 'flash0',
    ]);
  });
  it.each([
    ['run {fixture}', /must contain \{component\}/],
    ['run {component} {config}', /unknown placeholder \{config\}/],
    ['run {component} --args={args}', /\{args\} must be a word of its own/],
    ["run '{component}", /not closed/],
    ['   ', /empty/],
  ])('refuses %j', (template, message) => {
    expect(() => splitTemplate(template)).toThrow(message);
  });
  it('exit statuses: 0 and 1 are the guest\'s; others a trap, or with --trap-status only those', () => {
    expect([outcomeOf(0, null, undefined), outcomeOf(1, null, undefined), outcomeOf(134, null, undefined), outcomeOf(null, 'SIGABRT', undefined)]).toEqual([0, 1, 'trap', 'trap']);
    expect([outcomeOf(2, null, [2]), outcomeOf(3, null, [2]), outcomeOf(null, 'SIGKILL', [2])]).toEqual(['trap', undefined, undefined]);
  });
  it('the CLI refuses a bad template as a usage error (status 64)', async () => {
    const r = await spawnAsync(process.execPath, [CLI, 'conformance', '--host', 'x {fixture}']);
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('must contain {component}');
  });
});

describe('the case file', () => {
  it('holds the fixture with absolute paths and the invocation; this host reads it back', () => {
    const c = loadSuite({ interface: 'sensor' }).find((k) => k.id === 'sensor/upstream-flow')!;
    const fixture = absoluteFixture(c.fixture, c.baseDir) as { sensor: { devices: { directory?: string }[] } };
    expect(fixture.sensor.devices[1]!.directory).toBe(join(ROOT, 'fixtures/sensor/sequence'));
    expect((c.fixture as typeof fixture).sensor.devices[1]!.directory).toBe('../../fixtures/sensor/sequence'); // the case is not changed
  });
  it('a host sees the file as documented', async () => {
    const dir = tempDir('case-file');
    // A stand-in host that copies the case file it was given and prints nothing.
    const copy = join(dir, 'seen.json');
    const host = { words: [process.execPath, '-e', `require('fs').copyFileSync(process.argv[1], ${JSON.stringify(copy)})`, '{fixture}', '{component}'] };
    const c = loadSuite({ interface: 'spi' }).find((k) => k.id === 'spi/errors/overrun')!;
    const [r] = await runCasesWithHost([c], host);
    expect(r!.pass).toBe(false); // no output: the stand-in is no host
    const seen = JSON.parse(readFileSync(copy, 'utf8')) as Record<string, unknown>;
    expect(seen).toEqual({
      format: 'wasi-edge-conformance-case/1',
      id: 'spi/errors/overrun',
      interface: 'spi',
      component: join(ROOT, 'fixtures/conformance/spi/spi-script.wasm'),
      fixture: { spi: { devices: [{ name: 'flash0', model: 'spi-nor', faults: [{ kind: 'overrun', afterBytes: 0, count: 1 }] }] } },
      invoke: { args: ['open', 'flash0', 'transfer', '9f000000', 'transfer', '9f000000'], env: {}, preopens: {} },
    });
    expect(readCaseFile(copy).invoke.args[0]).toBe('open');
  });
});

describe('this host driven as a separate process through its CLI', () => {
  const all = loadSuite();
  const whole = process.env.WASI_EDGE_CONFORMANCE_PROCESS === 'all';
  // One case of every manifest file and every case that does not expect exit 0 (npm test), or all of them.
  const cases = whole ? all : all.filter((c, i) => i === all.findIndex((k) => k.file === c.file) || c.expect.exit !== 0);

  it(`passes ${whole ? 'the whole suite' : 'one case of every manifest, and those that end with an error'} (${cases.length} cases)`, async () => {
    const results = await runCasesWithHost(cases, { words: splitTemplate(THIS_HOST), trapStatuses: [2] }, { jobs: 2 });
    const failed = results.filter((r) => !r.pass).map((r) => `${r.id}: ${r.failures.join('; ')}`);
    expect(failed).toEqual([]);
    expect(results).toHaveLength(cases.length);
  }, whole ? 600_000 : 180_000);

  it('a host that fails to start or prints the wrong thing fails the cases, with the reason', async () => {
    const c = all.find((k) => k.id === 'spi/operations/transfer')!;
    const [crashed] = await runCasesWithHost([c], { words: [process.execPath, '-e', 'process.exit(3)', '{component}'], trapStatuses: [2] });
    expect(crashed!.failures).toEqual(['could not run: the host command exited with status 3']);
    const [silent] = await runCasesWithHost([c], { words: [process.execPath, '-e', '', '{component}'] });
    expect(silent!.pass).toBe(false);
    expect(silent!.failures).toContain('stdout line 1 missing, expected "open flash0: ok"');
    const [missing] = await runCasesWithHost([c], { words: ['/nonexistent/host', '{component}'] });
    expect(missing!.failures[0]).toMatch(/could not start the host command "\/nonexistent\/host"/);
  }, 60_000);
});

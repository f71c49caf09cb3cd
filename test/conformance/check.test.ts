/**
 * `wasi-edge check`: each outcome proven on a deliberately broken guest (clean exit, error, trap,
 * hang), a good guest under a fault scenario, and the built-in scenarios. Workers run the
 * compiled check-worker from dist/ (npm test builds it first).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkComponent, formatCheck, runScenario } from '../../src/conformance/check.js';
import { configForFixture } from '../../src/conformance/fixture.js';
import { builtinScenarioNames, builtinScenarios, readScenarioFile, resolveScenarios, ScenarioError, type Scenario } from '../../src/conformance/scenarios.js';
import { parseConfig } from '../../src/host/config.js';
import { ROOT } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const guest = (name: string) => join(ROOT, 'fixtures/conformance/check', `${name}.wasm`);
const empty: Scenario = { name: 'empty', description: '', interface: 'any', fixture: {}, env: {}, preopens: {}, timeoutMs: 1500, baseDir: ROOT };

describe('check outcomes on deliberately broken guests', () => {
  it('a guest that returns ok exited cleanly', async () => {
    const r = await runScenario(guest('clean'), empty);
    expect(r).toMatchObject({ outcome: 'exited', exitCode: 0 });
  });
  it('a guest whose run returns err returned an error', async () => {
    const r = await runScenario(guest('error'), empty);
    expect(r).toMatchObject({ outcome: 'error', exitCode: 1 });
    expect(r.detail).toMatch(/returned err/);
  });
  it('a guest that loads out of bounds trapped', async () => {
    const r = await runScenario(guest('trap'), empty);
    expect(r.outcome).toBe('trapped');
    expect(r.detail).toMatch(/out of bounds/);
  });
  it('a guest that loops forever hung past the timeout, and was stopped', async () => {
    const r = await runScenario(guest('hang'), { ...empty, timeoutMs: 1000 });
    expect(r.outcome).toBe('hung');
    expect(r.detail).toMatch(/after 1 s/);
  });
  it('a file that is not a component is refused before any scenario runs', async () => {
    const dir = tempDir('check');
    writeFileSync(join(dir, 'x.wasm'), 'not wasm');
    await expect(checkComponent(join(dir, 'x.wasm'), [empty])).rejects.toThrow(/not a WebAssembly file/);
  });
});

describe('check with the built-in scenarios', () => {
  it('a good guest reports the NACK of the first transaction and exits cleanly', async () => {
    const report = await checkComponent(join(ROOT, 'fixtures/conformance/i2c/i2c-script.wasm'), resolveScenarios(['i2c-nack-first']), {
      args: ['open', 'i2c-sim0', 'write-read', '0x76', 'd0', '1', 'write-read', '0x76', 'd0', '1'],
      all: true,
    });
    const [s] = report.scenarios;
    expect(s).toMatchObject({ scenario: 'i2c-nack-first', outcome: 'exited' });
    expect(s!.stdout).toBe('open i2c-sim0: ok\nwrite-read: err no-acknowledge(address)\nwrite-read: ok 60\n');
    expect(formatCheck(report).join('\n')).toMatch(/i2c-nack-first\s+exited cleanly/);
  });
  it('a guest that waits for a frame of an unplugged camera sees hardware-error', async () => {
    const report = await checkComponent(join(ROOT, 'fixtures/conformance/sensor/sensor-script.wasm'), resolveScenarios(['camera-unplugged']), {
      args: ['open', 'test-pattern:0', 'pool', 'overwrite', '0', '16', 'p', 'start', 'p', 'drain', '1000'],
      all: true,
    });
    // 10 frames are captured; a loaded machine may lose some of them in the camera's ring (counted as dropped).
    expect(report.scenarios[0]).toMatchObject({ outcome: 'exited', stdout: expect.stringMatching(/^drain: frames=(10|[1-9]) then err hardware-error$/m) });
  });
  it('a guest that insists on many frames from the slow sensor hangs', async () => {
    const [slow] = resolveScenarios(['slow-sensor']);
    const r = await runScenario(join(ROOT, 'fixtures/conformance/sensor/sensor-script.wasm'), { ...slow!, timeoutMs: 1500 }, {
      args: ['open', 'test-pattern:0', 'pool', 'overwrite', '0', '4', 'p', 'start', 'p', 'drain', '10'],
    });
    expect(r.outcome).toBe('hung');
  });
  it('a guest that waits on its pool again after the camera is gone is reported as hung (the host sees the deadlock)', async () => {
    const [unplugged] = resolveScenarios(['camera-unplugged']);
    const r = await runScenario(join(ROOT, 'fixtures/conformance/sensor/sensor-script.wasm'), unplugged!, {
      args: ['open', 'test-pattern:0', 'pool', 'overwrite', '0', '16', 'p', 'start', 'p', 'drain', '1000', 'wait'],
    });
    expect(r.outcome).toBe('hung');
    expect(r.detail).toMatch(/deadlock/);
  });
  it('a model that fails to load is an error value the guest sees', async () => {
    const [s] = resolveScenarios(['model-load-fails']);
    const r = await runScenario(join(ROOT, 'fixtures/conformance/nn/nn-script.wasm'), s!, { args: ['by-name', 'blazeface'] });
    expect(r).toMatchObject({ outcome: 'exited', stdout: 'by-name blazeface: err invalid-encoding\n' });
  });
  it('scenarios about interfaces a component does not import are skipped unless asked for', async () => {
    const report = await checkComponent(guest('clean'), resolveScenarios(['i2c-nack-first', 'nominal']));
    expect(report.scenarios.map((s) => s.outcome)).toEqual(['skipped', 'exited']);
  });
  it('every built-in scenario maps to a valid host configuration', () => {
    expect(builtinScenarioNames()).toEqual(expect.arrayContaining(['i2c-nack-first', 'camera-unplugged', 'slow-sensor', 'model-load-fails', 'pool-full']));
    for (const s of builtinScenarios()) {
      expect(() => parseConfig(configForFixture(s.fixture, s.baseDir), s.baseDir), s.name).not.toThrow();
    }
  });
});

describe('scenario files', () => {
  const dir = tempDir('scenarios');
  it('reads one scenario or a list, names them, resolves preopens against the file', () => {
    writeFileSync(join(dir, 'one.json'), JSON.stringify({ fixture: {}, invoke: { args: ['a'], preopens: { '/d': 'data' } }, timeoutSeconds: 3 }));
    writeFileSync(join(dir, 'many.json'), JSON.stringify({ scenarios: [{ name: 'x' }, {}] }));
    expect(readScenarioFile(join(dir, 'one.json'))[0]).toMatchObject({ name: 'one', args: ['a'], preopens: { '/d': join(dir, 'data') }, timeoutMs: 3000 });
    expect(readScenarioFile(join(dir, 'many.json')).map((s) => s.name)).toEqual(['x', 'many-2']);
  });
  it('rejects unknown keys and unknown names with a message that says what is known', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ fixtures: {} }));
    expect(() => readScenarioFile(join(dir, 'bad.json'))).toThrow(/fixtures is not a scenario key/);
    expect(() => resolveScenarios(['no-such-scenario'])).toThrow(ScenarioError);
    expect(() => resolveScenarios(['no-such-scenario'])).toThrow(/built-in: .*i2c-nack-first/);
  });
});

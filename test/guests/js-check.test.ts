/**
 * `wasi-edge check` (src/conformance/check.ts) runs the JavaScript face detector through every
 * built-in fault scenario: it never traps, and each scenario ends the way it ends for the C app.
 * Workers run the compiled check-worker from dist/ (npm test builds it first).
 */
import { describe, expect, it } from 'vitest';
import { checkComponent, type CheckReport } from '../../src/conformance/check.js';
import { builtinScenarios } from '../../src/conformance/scenarios.js';
import { componentPath } from '../helpers/run-guest.js';

// 20 frames of the 30 frames/s test pattern: enough for camera-unplugged's unplug after 10 frames
// and for slow-sensor's 2 s frames to outlast its 10 s timeout; no PNGs.
const OPTIONS = { args: ['20', 'test-pattern:0'], env: { OUT_DIR: '-' }, all: true };

const outcomes = (r: CheckReport) => Object.fromEntries(r.scenarios.map((s) => [s.scenario, s.outcome]));
const byName = (r: CheckReport, name: string) => r.scenarios.find((s) => s.scenario === name)!;

describe('wasi-edge check on js-facedetect', () => {
  it('every built-in scenario ends as it does for the C face detector, none in a trap', async () => {
    const scenarios = builtinScenarios();
    const js = await checkComponent(componentPath('js-facedetect'), scenarios, OPTIONS);
    const c = await checkComponent(componentPath('facedetect'), scenarios, OPTIONS);
    expect(outcomes(js)).toEqual(outcomes(c));
    expect(outcomes(js)).toMatchObject({
      nominal: 'exited',
      'i2c-nack-first': 'exited',
      'i2c-bus-stuck': 'exited',
      'camera-unplugged': 'error',
      'slow-sensor': 'hung',
      'model-load-fails': 'error',
      'pool-full': 'exited',
    });
    for (const s of js.scenarios) expect(s.outcome, `${s.scenario}: ${s.detail}\n${s.stderr}`).not.toMatch(/trapped|not-run/);

    // What the guest said: the error values arrived as EdgeErrors with their WIT codes.
    expect(byName(js, 'i2c-nack-first').stderr).toContain('write-read: no-acknowledge: address); continuing without temperature');
    expect(byName(js, 'camera-unplugged').stderr).toContain('js-facedetect: read-frames: hardware-error');
    expect(byName(js, 'model-load-fails').stderr).toMatch(/js-facedetect: load-by-name blazeface: invalid-encoding: /);
    const frames = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{"frame"')).map((l) => JSON.parse(l) as { temperature: number | null });
    expect(frames(byName(js, 'nominal').stdout)).toHaveLength(20);
    expect(frames(byName(js, 'i2c-bus-stuck').stdout).every((f) => f.temperature === null)).toBe(true);
  }, 600_000);
});

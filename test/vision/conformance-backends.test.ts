/**
 * The vision conformance cases (conformance/vision/*.json) on each vision backend this host has:
 * the golden values must hold on the TypeScript kernels and on sharp alike (docs/vision.md, "Native
 * backend"). The plain suite (test/conformance/suite.test.ts) runs them on the default, `auto`.
 */
import { describe, expect, it } from 'vitest';
import { unavailableReason } from '../../src/core/optional-package.js';
import { loadSuite } from '../../src/conformance/manifest.js';
import { runCase } from '../../src/conformance/suite.js';
import { resolveSharp, sharpVipsVersion } from '../../src/vision/backends/sharp.js';
import type { VisionBackendChoice } from '../../src/vision/backends/select.js';

const cases = loadSuite({ interface: 'vision' });
const sharpMissing = unavailableReason(() => resolveSharp());

function onBackend(backend: VisionBackendChoice, skip?: string): void {
  describe.skipIf(skip !== undefined)(`vision conformance on ${backend}${skip ? ` (${skip})` : ''}`, () => {
    for (const c of cases) {
      it(c.id, async () => {
        // In place: a copy would no longer count as a parsed config (src/host/config.ts).
        const r = await runCase(c, { hostConfig: (config) => Object.assign(config, { vision: { ...config.vision, backend } }) });
        expect(r.failures, `${c.id}\n${r.outcome?.stdout ?? ''}${r.outcome?.stderr ?? ''}`).toEqual([]);
      });
    }
  });
}

it('has vision cases that encode and decode', () => {
  expect(cases.length).toBeGreaterThan(3);
});

// The TypeScript run goes first: the process's sharp worker must not exist until sharp is asked for.
onBackend('typescript');
it('the typescript runs never started sharp', () => {
  expect(sharpVipsVersion()).toBeUndefined();
});
onBackend('sharp', sharpMissing);
it.skipIf(sharpMissing !== undefined)('the sharp runs went through libvips', () => {
  expect(sharpVipsVersion()).toMatch(/^\d+\.\d+/);
});

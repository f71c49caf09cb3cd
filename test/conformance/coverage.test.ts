/**
 * The suite's coverage claim, checked mechanically: every error case of every interface that this
 * host can produce is expected by at least one conformance case (conformance/README.md § Coverage
 * lists the few that cannot arise, with the reason).
 */
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/conformance/manifest.js';

const ERRORS: Record<string, string[]> = {
  i2c: ['not-found', 'permission-denied', 'unavailable', 'bus', 'arbitration-loss', 'no-acknowledge(address)', 'no-acknowledge(data)', 'no-acknowledge(unknown)', 'overrun', 'other'],
  spi: ['overrun', 'mode-fault', 'frame-format', 'chip-select-fault', 'other'],
  sensor: ['not-found', 'invalid-argument', 'resource-exhausted', 'permission-denied', 'busy', 'already-exists', 'invalid-operation', 'out-of-range', 'data-loss', 'hardware-error', 'not-supported'],
  nn: ['invalid-argument', 'invalid-encoding', 'runtime-error', 'unsupported-operation', 'too-large', 'not-found', 'security'],
  vision: ['invalid-argument', 'out-of-bounds', 'unsupported-format', 'decode-failed', 'too-large', 'not-supported', 'stale-frame'],
};

const cases = loadSuite();

/** Every expected stdout line of an interface's cases, as text (regexes by their source). */
function expectedLines(iface: string): string[] {
  return cases
    .filter((c) => c.interface === iface)
    .flatMap((c) => [...(c.expect.stdout ?? []), ...(c.expect.stdoutContains ?? [])])
    .map((m) => (typeof m === 'string' ? m : m.regex.replace(/\\/g, '')));
}

describe('conformance coverage', () => {
  for (const [iface, codes] of Object.entries(ERRORS)) {
    it(`${iface}: every error case is expected by some case`, () => {
      const lines = expectedLines(iface);
      const missing = codes.filter((code) => !lines.some((l) => l.includes(`err ${code}`) || l.includes(`: ${code}`)));
      expect(missing).toEqual([]);
    });
  }
  it('every case of a group file pins or describes something', () => {
    for (const c of cases) expect(c.description.length + c.pins.length, c.id).toBeGreaterThan(0);
  });
});

/**
 * The whole conformance suite against this host, one test per case: this host must pass 100 %.
 * CONFORMANCE_INTERFACE=i2c narrows it while working on one interface.
 */
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_INTERFACES, loadSuite } from '../../src/conformance/manifest.js';
import { runCase } from '../../src/conformance/suite.js';

const only = process.env.CONFORMANCE_INTERFACE;
const cases = loadSuite(only ? { interface: only } : {});

describe('conformance suite', () => {
  it('has cases for every interface', () => {
    for (const iface of only ? [only] : CONFORMANCE_INTERFACES) {
      expect(cases.filter((c) => c.interface === iface).length, iface).toBeGreaterThan(0);
    }
  });

  for (const c of cases) {
    it(c.id, async () => {
      const r = await runCase(c);
      expect(r.failures, `${c.id}\n${r.outcome?.stdout ?? ''}${r.outcome?.stderr ?? ''}`).toEqual([]);
      expect(r.pass).toBe(true);
    });
  }
});

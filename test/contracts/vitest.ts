/** Runs a contract (contract.ts) under vitest: one `it` per property, skipped with its reason when it does not apply. */
import { describe, it } from 'vitest';
import { runProperty, type Contract, type Subject } from './contract.js';

export function describeContract<T>(contract: Contract<T>, subject: Subject<T>): void {
  describe(`${contract.name} contract: ${subject.label}`, () => {
    for (const p of contract.properties) {
      it(p.name, async (ctx) => {
        const why = await runProperty(subject, p);
        if (why) ctx.skip(why);
      });
    }
  });
}

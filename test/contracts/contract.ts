/**
 * Contract suites, the node-serialport way: one suite per backend interface, and every backend
 * runs it. A contract is a list of properties, each a plain function that throws when the backend
 * breaks it (node:assert), so the same suite runs under vitest on this machine (`describeContract`
 * in vitest.ts) and under plain node inside the QEMU guests (`runContract`, from
 * test/hardware/contracts.ts), where there is no test framework.
 *
 * A property that cannot apply to a backend (a read-only EEPROM is not written, a bus whose
 * controller cannot see a NACK is not asked for one) says so with a reason, and is reported as
 * skipped with it: the suite is parametrised by what the backend has, never weakened for one.
 */
import assert from 'node:assert/strict';

export interface Property<T> {
  readonly name: string;
  /** Why this property does not apply to `t` (reported as a skip with the reason); undefined: it applies. */
  skip?(t: T): string | undefined;
  run(t: T): void | Promise<void>;
}

export interface Contract<T> {
  /** The interface, as its source names it: `Bus`, `SpiBackend`, `SensorDevice`. */
  readonly name: string;
  readonly properties: readonly Property<T>[];
}

/** One backend as a contract runs it: a fresh instance for every property. */
export interface Subject<T> {
  readonly label: string;
  make(): T | Promise<T>;
  /** Releases what `make` opened, pass or fail. */
  release?(t: T): void;
  /** Why this backend cannot run here at all (a missing tool): every property is reported skipped with it. */
  readonly unavailable?: string;
}

export interface Outcome {
  contract: string;
  subject: string;
  property: string;
  status: 'pass' | 'fail' | 'skip';
  detail?: string;
}

/**
 * Thrown by a property that finds out only while it runs that it cannot apply (an EEPROM whose
 * contents cannot tell two outcomes apart): a skip with the reason, not a pass.
 */
export class Inapplicable extends Error {
  override readonly name = 'Inapplicable';
}

/** Runs one property on a fresh instance; returns the skip reason, or undefined once it passed (throws on failure). */
export async function runProperty<T>(subject: Subject<T>, property: Property<T>): Promise<string | undefined> {
  if (subject.unavailable) return subject.unavailable;
  const t = await subject.make();
  try {
    const why = property.skip?.(t);
    if (why) return why;
    await property.run(t);
    return undefined;
  } catch (e) {
    if (e instanceof Inapplicable) return e.message;
    throw e;
  } finally {
    subject.release?.(t);
  }
}

/**
 * Runs every property without a test framework, printing one `CONTRACT {json}` line per property
 * (test/hardware/run.mjs reads them back from the guest's output).
 */
export async function runContract<T>(contract: Contract<T>, subject: Subject<T>, print: (line: string) => void = console.log): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const p of contract.properties) {
    const outcome: Outcome = { contract: contract.name, subject: subject.label, property: p.name, status: 'pass' };
    try {
      const why = await runProperty(subject, p);
      if (why) Object.assign(outcome, { status: 'skip', detail: why });
    } catch (e) {
      Object.assign(outcome, { status: 'fail', detail: e instanceof Error ? e.message : String(e) });
    }
    print(`CONTRACT ${JSON.stringify(outcome)}`);
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Runs `f`, which must throw an instance of `type`; returns what it threw. */
export function thrown<E extends Error>(f: () => unknown, type: abstract new (...args: never[]) => E, what: string): E {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof type, `${what}: expected a ${type.name}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return e;
  }
  assert.fail(`${what}: expected a ${type.name}, the call succeeded`);
}

/** `f` throws a `type` whose `code` is one of `codes`. */
export function failsWith<E extends Error & { code: string }>(
  f: () => unknown,
  type: abstract new (...args: never[]) => E,
  codes: readonly string[],
  what: string,
): E {
  const e = thrown(f, type, what);
  assert.ok(codes.includes(e.code), `${what}: expected code ${codes.join(' or ')}, got ${e.code} (${e.message})`);
  return e;
}

/** `0x48` → "0x48"; bytes → "bf 25 41", for messages. */
export const hexBytes = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

// Handle budgets, leased handles and slot tables (src/core/handle-budget.ts), as i2c and spi use them.
import { describe, expect, it } from 'vitest';
import { HandleBudget, LeasedHandle, SlotTable } from '../../src/core/handle-budget.js';

class Refused extends Error {}

class TestHandle extends LeasedHandle<{ value: number }> {
  protected readonly resource = 'test';
  protected refuse(message: string): never {
    throw new Refused(message);
  }
  value(): number {
    return this.held().value;
  }
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Refused);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('handle budget', () => {
  it('counts leased handles against the limit, names it when full, and a drop gives one back once', () => {
    const budget = new HandleBudget(2, 'test handles', 'test.maxHandles');
    const a = TestHandle.lease({ value: 1 }, budget);
    expect(budget.exhausted()).toBeUndefined();
    TestHandle.lease({ value: 2 }, budget);
    expect(budget.exhausted()).toBe("2 test handles are open; this host's limit is 2 (test.maxHandles)");
    a[Symbol.dispose]();
    a[Symbol.dispose]();
    expect(budget.open).toBe(1);
    expect(budget.exhausted()).toBeUndefined();
  });

  it('a handle answers while held, refuses once dropped, and refuses once its host is disposed', () => {
    const budget = new HandleBudget(4, 'test handles', 'test.maxHandles');
    const a = TestHandle.lease({ value: 7 }, budget);
    const b = TestHandle.lease({ value: 8 }, budget);
    expect(a.value()).toBe(7);
    a[Symbol.dispose]();
    expect(refusal(() => a.value())).toBe('this test handle is closed');
    expect(budget.dispose()).toBe(true);
    expect(budget.dispose()).toBe(false);
    expect(refusal(() => b.value())).toBe('the host that made this test handle is gone');
  });

  it('a handle made by the zero-argument constructor (not leased) is closed', () => {
    expect(refusal(() => new TestHandle().value())).toBe('this test handle is closed');
  });
});

describe('slot table', () => {
  const closed: string[] = [];
  const table = (allow?: string[]) =>
    new SlotTable({ a: 1, b: 2, c: 3 }, (name, n: number) => ({ name, n, close: () => closed.push(name) }), allow, new HandleBudget(1, 'x', 'y'));

  it('grants every slot without an allow-list, else only the listed ones, in config order', () => {
    expect(table().granted()).toEqual(['a', 'b', 'c']);
    const t = table(['c', 'a']);
    expect(t.granted()).toEqual(['a', 'c']);
    expect(t.isGranted('b')).toBe(false);
  });

  it('finds what a guest names (any value), finds nothing once disposed, and closes each slot once', () => {
    closed.length = 0;
    const t = table();
    expect(t.find('b')?.n).toBe(2);
    expect(t.find(42)).toBeUndefined();
    expect(t.find('zz')).toBeUndefined();
    t.dispose('things');
    t.dispose('things');
    expect(closed).toEqual(['a', 'b', 'c']);
    expect(t.find('b')).toBeUndefined();
    expect(t.budget.disposed).toBe(true);
  });

  it('an embedder asking for a slot that is not configured gets a plain Error naming it', () => {
    expect(() => table().get('zz', 'widget')).toThrow('no widget named "zz" in this configuration');
  });

  it('a slot that fails to close does not keep the others open', () => {
    const seen: string[] = [];
    const t = new SlotTable(
      { a: 0, b: 0 },
      (name) => ({ close: () => { seen.push(name); if (name === 'a') throw new Error('stuck'); } }),
      undefined,
      new HandleBudget(1, 'x', 'y'),
    );
    expect(() => t.dispose('things')).toThrow(/some things failed to close/);
    expect(seen).toEqual(['a', 'b']);
  });
});

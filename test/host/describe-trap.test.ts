/**
 * describeTrap names a trap the same way whichever engine or jco wrote the message. Live: every trap
 * kind of test/runtimes/trap-modules.mjs on this Node (the other runtimes run the same modules in
 * npm run test:runtimes). Recorded: messages seen on Bun 1.4.5 (JavaScriptCore), Deno 2.9.6 (V8 15)
 * and in jco 1.35's output, which this Node cannot produce.
 */
import { describe, expect, it } from 'vitest';
import { describeTrap, resultOf } from '../../src/host/runner.js';
import { runTraps } from '../runtimes/trap-modules.mjs';

const trap = (message: string) => new WebAssembly.RuntimeError(message);

describe('describeTrap', () => {
  it.each(runTraps(describeTrap))('%s on this Node (%s)', (_kind, _thrown, named, expected) => {
    expect(named).toBe(expected);
  });

  it.each([
    ["Unreachable code should not be executed (evaluating 'exports0Run()')", 'unreachable'],
    ["Division by zero (evaluating 'e.f()')", 'divide by zero'],
    ["Integer overflow (evaluating 'e.f()')", 'divide result unrepresentable'],
    ["Out of bounds Trunc operation (evaluating 'e.f()')", 'float unrepresentable in integer range'],
    ["Out of bounds memory access (evaluating 'run(\n  a)')", 'memory access out of bounds'],
    ["Out of bounds call_indirect (evaluating 'e.f()')", 'table index is out of bounds'],
    ["call_indirect to a signature that does not match (evaluating 'e.f()')", 'null function or function signature mismatch'],
    ['null function', 'null function or function signature mismatch'],
    ['function signature mismatch', 'null function or function signature mismatch'],
    ['wasm trap: wasm `unreachable` instruction executed', 'unreachable'],
    ['wasm trap: out of bounds memory access', 'memory access out of bounds'],
    ['wasm trap: integer divide by zero', 'divide by zero'],
    ['wasm trap: integer overflow', 'divide result unrepresentable'],
    ['wasm trap: invalid conversion to integer', 'float unrepresentable in integer range'],
    ['wasm trap: undefined element: out of bounds table access', 'table index is out of bounds'],
    ['wasm trap: indirect call type mismatch', 'null function or function signature mismatch'],
    ['wasm trap: call stack exhausted', 'stack overflow'],
  ])('recorded %j → %s', (message, expected) => {
    expect(describeTrap(trap(message))).toBe(expected);
  });

  it('passes an unknown message through and names stack exhaustion with or without a period', () => {
    expect(describeTrap(trap('some new trap'))).toBe('some new trap');
    expect(describeTrap(new RangeError('Maximum call stack size exceeded.'))).toBe('stack overflow');
    expect(describeTrap(new RangeError('Invalid array length'))).toBeUndefined();
    expect(describeTrap(new TypeError('x is not a function'))).toBeUndefined();
  });

  it('is what the runner reports: exit status 2 and the name', () => {
    const r = resultOf(() => {
      throw trap("Unreachable code should not be executed (evaluating 'exports0Run()')");
    });
    expect(r).toEqual({ code: 2, trap: 'unreachable' });
  });
});

/**
 * One name per WebAssembly trap on every runtime: the message V8 gives it (Node 20's, what this host
 * has always printed after "the guest trapped: "). Other engines and jco versions word traps their
 * own way; each message below was seen on the runtime named, with the trap it stands for
 * (test/runtimes/trap-modules.mjs makes each one). A message not listed passes through unchanged.
 */
const NAMES: ReadonlyMap<string, string> = new Map([
  // JavaScriptCore (Bun 1.4), which also appends " (evaluating '<the JS call>')" (dropped first).
  ['Unreachable code should not be executed', 'unreachable'],
  ['Division by zero', 'divide by zero'], // also a remainder by zero: JSC does not tell them apart
  ['Integer overflow', 'divide result unrepresentable'],
  ['Out of bounds Trunc operation', 'float unrepresentable in integer range'],
  ['Out of bounds memory access', 'memory access out of bounds'],
  ['Out of bounds call_indirect', 'table index is out of bounds'],
  ['call_indirect to a signature that does not match', 'null function or function signature mismatch'],
  // V8 15 (Deno 2.9) splits V8's "null function or function signature mismatch" in two.
  ['null function', 'null function or function signature mismatch'],
  ['function signature mismatch', 'null function or function signature mismatch'],
  // jco ≥ 1.13 rewrites V8's messages into wasmtime's (_normalizeCoreTrap in its output).
  ['wasm trap: wasm `unreachable` instruction executed', 'unreachable'],
  ['wasm trap: out of bounds memory access', 'memory access out of bounds'],
  ['wasm trap: integer divide by zero', 'divide by zero'], // and remainder by zero
  ['wasm trap: integer overflow', 'divide result unrepresentable'],
  ['wasm trap: invalid conversion to integer', 'float unrepresentable in integer range'],
  ['wasm trap: undefined element: out of bounds table access', 'table index is out of bounds'],
  ['wasm trap: indirect call type mismatch', 'null function or function signature mismatch'],
  ['wasm trap: call stack exhausted', 'stack overflow'],
]);

/** The trap's name for a WebAssembly.RuntimeError's message, whichever engine or jco wrote it. */
export function trapName(message: string): string {
  const bare = message.replace(/ \(evaluating '[\s\S]*'\)$/, '');
  return NAMES.get(bare) ?? bare;
}

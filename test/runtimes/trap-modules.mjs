// One tiny core WebAssembly module per trap kind (hand-assembled: no toolchain needed), each
// exporting f: () -> i32 that traps, and the name describeTrap must give the trap on every runtime.
// Used by test/host/describe-trap.test.ts (this Node) and by trap-probe.mjs (each runtime of
// npm run test:runtimes).
const leb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
const vec = (items) => [...leb(items.length), ...items.flat()];
const body = (code) => {
  const f = [0 /* no locals */, ...code, 0x0b];
  return [...leb(f.length), ...f];
};

/** A module with f = `code` (type () -> i32); `table`: one funcref slot; `elem`: that slot holds g: () -> (). */
function module(code, { memory = false, table = false, elem = false } = {}) {
  const types = vec([[0x60, 0, 1, 0x7f], [0x60, 0, 0]]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, types),
    ...section(3, elem ? vec([[0], [1]]) : vec([[0]])),
    ...(table ? section(4, vec([[0x70, 0, 1]])) : []),
    ...(memory ? section(5, vec([[0, 1]])) : []),
    ...section(7, vec([[1, 0x66 /* "f" */, 0, 0]])),
    ...(elem ? section(9, vec([[0, 0x41, 0, 0x0b, 1, 1]])) : []),
    ...section(10, vec(elem ? [body(code), body([])] : [body(code)])),
  ]);
}

const I32_MIN = [0x41, 0x80, 0x80, 0x80, 0x80, 0x78];
/** [kind, module bytes, the name every runtime must report]. */
export const TRAPS = [
  ['unreachable', module([0x00]), 'unreachable'],
  ['i32.div_s by zero', module([0x41, 1, 0x41, 0, 0x6d]), 'divide by zero'],
  ['i32.div_s overflow', module([...I32_MIN, 0x41, 0x7f, 0x6d]), 'divide result unrepresentable'],
  ['i32.trunc_f32_s of NaN', module([0x43, 0, 0, 0xc0, 0x7f, 0xa8]), 'float unrepresentable in integer range'],
  ['i32.load past the memory', module([0x41, 0x80, 0x80, 0x04, 0x28, 2, 0], { memory: true }), 'memory access out of bounds'],
  ['call_indirect past the table', module([0x41, 5, 0x11, 0, 0], { table: true }), 'table index is out of bounds'],
  ['call_indirect of an empty slot', module([0x41, 0, 0x11, 0, 0], { table: true }), 'null function or function signature mismatch'],
  ['call_indirect with the wrong type', module([0x41, 0, 0x11, 0, 0], { table: true, elem: true }), 'null function or function signature mismatch'],
  ['endless recursion', module([0x10, 0]), 'stack overflow'],
];

/** Runs each trap; [kind, what was thrown ("RuntimeError: …"), describe(error), expected]. */
export function runTraps(describe) {
  return TRAPS.map(([kind, bytes, expected]) => {
    try {
      new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f();
      return [kind, 'no trap', undefined, expected];
    } catch (e) {
      return [kind, `${e?.constructor?.name}: ${e?.message}`, describe(e), expected];
    }
  });
}

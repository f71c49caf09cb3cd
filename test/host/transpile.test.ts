import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpileComponent, type TranspileOutput } from '../../src/host/transpile.js';
import { BindingsRewriteError, BYTE_HELPERS, rewriteBindings } from '../../src/host/transpile-rewrite.js';
import { BufferRecycler, HOST_BUFFERS_IMPORT } from '../../src/core/buffer-recycler.js';
import { transpilerVersion } from '../../src/platform/node/component-cache.js';
import { createHost, transpile } from '../../src/index.js';
import { componentPath } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';
import { dynamicBatchModel } from '../nn/onnx-writer.mjs';

type Instantiate = (getCoreModule: (p: string) => Promise<WebAssembly.Module>, imports: object) => Promise<Record<string, unknown>>;

let written = 0;
/** Writes the files next to a given component.js and imports it (a fresh module each time). */
async function load(out: TranspileOutput, js?: string): Promise<{ instantiate: (imports: object) => Promise<Record<string, unknown>>; dir: string }> {
  const dir = join(tempDir('transpile-test'), String(written++));
  for (const [name, content] of Object.entries(out.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), name === 'component.js' && js !== undefined ? js : content);
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  const mod = (await import(pathToFileURL(join(dir, 'component.js')).href)) as { instantiate: Instantiate };
  return { dir, instantiate: (imports) => mod.instantiate((p) => WebAssembly.compile(readFileSync(join(dir, p))), imports) };
}

const probe = (echo: (x: number) => number) => ({ 'wasi-edge:bench/probe': { echo }, 'wasi-edge:bench/probe@0.1.0': { echo } });
const version = transpilerVersion();
let plain: TranspileOutput;
let plainJs: string;

let churn: TranspileOutput;
let churnJs: string;

beforeAll(async () => {
  plain = await transpileComponent(readFileSync(componentPath('bench-echo')), { rewrite: false });
  plainJs = new TextDecoder().decode(plain.files['component.js']);
  churn = await transpileComponent(readFileSync(componentPath('nn_churn')), { rewrite: false });
  churnJs = new TextDecoder().decode(churn.files['component.js']);
}, 60_000);

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.JCO_DEBUG;
});

describe('the bindings rewrite (jco output, on its syntax tree)', () => {
  it('calls a sync import directly: same results, each host call made once with the guest\'s argument', async () => {
    const { js, counts } = rewriteBindings(plainJs, version);
    expect(counts.directImports).toBe(1);
    expect(counts.asyncFeature).toBeUndefined();
    const fast = await load(plain, js);
    const slow = await load(plain);
    const seen: number[] = [];
    const a = (await fast.instantiate(probe((x) => (seen.push(x), x * 3)))) as { benchLoop: (n: number) => number };
    const b = (await slow.instantiate(probe((x) => x * 3))) as { benchLoop: (n: number) => number };
    expect(a.benchLoop(10)).toBe(b.benchLoop(10));
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The trampoline no longer makes a task; jco's own code still does.
    expect(js).not.toMatch(/let trampoline0 = _trampoline0\.manuallyAsync/);
    expect(plainJs).toMatch(/let trampoline0 = _trampoline0\.manuallyAsync/);
  });

  it('keeps trap poisoning as jco has it: after a trap the instance refuses calls, after a host error it does not', async () => {
    const outcome = async (error: Error, js?: string) => {
      const m = await load(plain, js);
      const e = (await m.instantiate(probe((x) => { if (x === 2) throw error; return x; }))) as { benchLoop: (n: number) => number };
      const attempt = (n: number) => { try { return String(e.benchLoop(n)); } catch (err) { return `threw ${(err as Error).message}`; } };
      return [attempt(5), attempt(2)];
    };
    const fast = rewriteBindings(plainJs, version).js;
    const trap = await outcome(new WebAssembly.RuntimeError('host trapped'), fast);
    expect(trap[0]).toBe('threw host trapped');
    expect(trap[1]).toMatch(/^threw .*cannot enter component instance/);
    expect(trap).toEqual(await outcome(new WebAssembly.RuntimeError('host trapped')));
    const broke = await outcome(new Error('host broke'), fast);
    expect(broke).toEqual(['threw host broke', '1']);
    expect(broke).toEqual(await outcome(new Error('host broke')));
  });

  it('reads JCO_DEBUG once, at instantiation: set before, it logs; set after, it does not', async () => {
    const { js } = rewriteBindings(plainJs, version);
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const quiet = (await (await load(plain, js)).instantiate(probe((x) => x))) as { benchLoop: (n: number) => number };
    process.env.JCO_DEBUG = '1';
    quiet.benchLoop(3);
    expect(debug).not.toHaveBeenCalled();
    const loud = (await (await load(plain, js)).instantiate(probe((x) => x))) as { benchLoop: (n: number) => number };
    loud.benchLoop(3);
    expect(debug).toHaveBeenCalled();
  });

  // Each alteration stands for a jco release whose code differs where the rewrite acts.
  const alterations: [string, string, string, RegExp][] = [
    ['a changed task prologue', 'task.setParentSubtask(subtask);', 'task.setParentSubtask(subtask, 1);', /_trampoline0's task prologue is not the known one/],
    ['no prologue at all', 'const hostProvided = true;', 'const hostProvided = !false;', /no `const hostProvided = true; … const started = task.enterSync\(\);` prologue/],
    ['a different host-call wrapper', '_trackHostOperation(() => echo(', '_trackHostOp(() => echo(', /host call is not `_withGlobalCurrentTaskMeta/],
    ['a new task method in the epilogue', 'task.exit();\n      return toUint32(ret);', 'task.exit();\n      task.settle();\n      return toUint32(ret);', /calls task\.settle\(\)/],
    ['a different debug switch', 'if (!globalThis?.process?.env?.JCO_DEBUG) { return; }', 'if (!globalThis.JCO_DEBUG) { return; }', /_debugLog does not begin with/],
    ['a different lowered-import form', 'importFn: _trampoline0,', 'importFn: _other0,', /is not `_trampoline0\.manuallyAsync \? … : _lowerImportBackwardsCompat\.bind/],
  ];
  // The same for the handle tables' record of reps (bench-echo has no resources: nn_churn's bindings).
  const repAlterations: [string, string, string, RegExp][] = [
    ['a changed rscTableCreateOwn', 'table._createdReps.add(rep);', 'table._createdReps.add(rep | 0);', /rscTableCreateOwn is not the known one/],
    ['a read of _createdReps', 'function rscTableRemove(table, handle) {', 'function rscTableRemove(table, handle) {\n    if (!table._createdReps.has(table[(handle << 1) + 1] & ~T_FLAG)) throw new Error("x");', /a use of _createdReps other than/],
    ['a renamed rscTableCreateOwn', 'rscTableCreateOwn(', 'rscTableCreateOwned(', /_createdReps but no rscTableCreateOwn adding to it/],
    ['a changed release of borrowed handles', 'const rsc = entry.rsc ?? entry;', 'const rsc = entry.rsc || entry;', /release of borrowed handles is not `for\(constentryofcurResourceBorrows\)/],
    ['no reset after the release of borrows', '    }\n    curResourceBorrows = [];', '    }\n    curResourceBorrows.length = 0;', /release of borrowed handles is not followed by `curResourceBorrows=\[\];`/],
    ['a wide list of another element size', 'new Uint32Array(memory0.buffer.slice(ptr0, ptr0 + len0 * 4))', 'new Uint32Array(memory0.buffer.slice(ptr0, ptr0 + len0 * 2))', /a Uint32Array list copy of 2-byte elements/],
  ];
  for (const [what, from, to, expected, base] of [...alterations.map((a) => [...a, () => plainJs] as const), ...repAlterations.map((a) => [...a, () => churnJs] as const)]) {
    it(`refuses, naming the jco version, generated code with ${what}`, () => {
      const altered = base().replaceAll(from, to);
      expect(altered).not.toBe(base());
      let error: unknown;
      try {
        rewriteBindings(altered, '9.9.9');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BindingsRewriteError);
      expect((error as Error).message).toMatch(/^jco 9\.9\.9 generated bindings that the host's rewrite does not know: /);
      expect((error as Error).message).toMatch(expected);
    });
  }

  it('leaves the import bookkeeping of a component that uses component-model async as jco wrote it', () => {
    const asyncJs = plainJs.replace(/isAsync: false,(\s*isManualAsync: _trampoline0)/g, 'isAsync: true,$1');
    expect(asyncJs).not.toBe(plainJs);
    const { js, counts } = rewriteBindings(asyncJs, version);
    expect(counts.directImports).toBe(0);
    expect(counts.asyncFeature).toMatch(/an import is lowered with isAsync: true/);
    expect(js).toMatch(/let trampoline0 = _trampoline0\.manuallyAsync/);
    expect(js).toContain('const hostProvided = true;');
  });
});

describe('resource handles in the rewritten bindings', () => {
  /**
   * Runs nn_churn (per cycle: 3 tensors and 1 execution context made and dropped) for `cycles` in one
   * instance, with each handle table's `_createdReps` Set exposed, and returns the Sets' sizes and what
   * the guest printed (its cycle count and checksum).
   */
  async function churnRepSizes(js: string, cycles: number): Promise<{ sizes: number[]; printed: string }> {
    const sets: Set<unknown>[] = [];
    const key = `__createdReps${written}`;
    const exposed = js.replace(/(handleTable\d+)\._createdReps = new Set\(\);/g, `globalThis.${key}.push($1._createdReps = new Set());`);
    expect(exposed).not.toBe(js);
    (globalThis as Record<string, unknown>)[key] = sets;
    const dir = tempDir('churn-model');
    writeFileSync(join(dir, 'tiny.onnx'), dynamicBatchModel());
    const out: Buffer[] = [];
    const host = createHost({ nn: { models: { tiny: join(dir, 'tiny.onnx') } }, wasi: { args: ['nn_churn', String(cycles)] } }, { stdio: { stdout: (c) => out.push(Buffer.from(c)) } });
    try {
      const exports = await (await load(churn, exposed)).instantiate(host.imports);
      const run = Object.entries(exports).find(([k]) => k.startsWith('wasi:cli/run'))![1] as { run: () => void };
      run.run();
    } finally {
      host.dispose();
      delete (globalThis as Record<string, unknown>)[key];
    }
    const printed = Buffer.concat(out).toString();
    expect(printed).toMatch(new RegExp(`^cycles ${cycles} checksum `));
    expect(sets.length).toBeGreaterThan(0);
    return { sizes: sets.map((s) => s.size), printed };
  }

  it('jco 1.35 keeps every rep a table ever held; the rewritten bindings keep none', async () => {
    const cycles = 2000;
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    // jco as generated: 4 resources per cycle handed to the guest, each rep kept after its drop.
    const asGenerated = await churnRepSizes(churnJs, cycles);
    expect(sum(asGenerated.sizes)).toBeGreaterThanOrEqual(4 * cycles);
    const { js, counts } = rewriteBindings(churnJs, version);
    expect(counts.createdRepsDropped).toBe(1);
    // The tensor constructor's list<u32> dimensions: lifted through the byte view (the churn's checksum
    // above, on these bindings, depends on them).
    expect(counts.wideListsLifted).toBeGreaterThan(0);
    expect(js).not.toMatch(/memory\d*\.buffer\.slice\(/);
    expect(js).toMatch(/liftWords\(Uint32Array, memory0, ptr\d+, len\d+\)/);
    expect(js).not.toContain('table._createdReps.add(rep);');
    const rewritten = await churnRepSizes(js, cycles);
    expect(sum(rewritten.sizes)).toBe(0);
    // every call (tensor data, dimensions, compute on a borrowed context, drops) gave what jco's bindings gave
    expect(rewritten.printed).toBe(asGenerated.printed);
  }, 60_000);

  it('releases the borrowed handles of each sync trampoline in place (the churn above prints what it prints on jco\'s bindings), no shared list is walked', () => {
    const loops = churnJs.split('for (const entry of curResourceBorrows)').length - 1;
    expect(loops).toBeGreaterThan(0);
    const { js, counts } = rewriteBindings(churnJs, version);
    expect(counts.borrowsReleasedInPlace).toBe(loops);
    expect(js).not.toContain('for (const entry of curResourceBorrows)');
    expect(js).not.toContain('curResourceBorrows.push(');
    // each trampoline clears the handle it borrowed, as jco's loop did
    expect(js.split('rsc0[symbolRscHandle] = undefined;').length - 1).toBe(loops);
  });

  it("keeps jco's shared list where a trampoline borrows a guest's resource ({ rsc, drop })", () => {
    const guestBorrow = churnJs.replace('curResourceBorrows.push(rsc0);', 'curResourceBorrows.push({ rsc: rsc0, drop: () => {} });');
    expect(guestBorrow).not.toBe(churnJs);
    const loops = churnJs.split('for (const entry of curResourceBorrows)').length - 1;
    const { js, counts } = rewriteBindings(guestBorrow, version);
    expect(counts.borrowsReleasedInPlace).toBe(loops - 1);
    expect(js.split('for (const entry of curResourceBorrows)').length - 1).toBe(1);
    expect(js).toContain('curResourceBorrows.push({ rsc: rsc0, drop: () => {} });');
  });

  it('a component without resources has nothing to drop', () => {
    expect(plainJs).not.toContain('_createdReps');
    expect(rewriteBindings(plainJs, version).counts.createdRepsDropped).toBe(0);
  });
});

describe('byte lists in the rewritten bindings', () => {
  it('the copies follow a growing memory, keep two memories apart, and trap outside memory', () => {
    const { liftBytes, lowerBytes } = new Function('imports', `${BYTE_HELPERS}\nreturn { liftBytes, lowerBytes };`)(undefined) as {
      liftBytes: (m: WebAssembly.Memory, p: number, l: number) => Uint8Array;
      lowerBytes: (m: WebAssembly.Memory, p: number, s: Uint8Array) => void;
    };
    const a = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const b = new WebAssembly.Memory({ initial: 1 });
    lowerBytes(a, 100, Uint8Array.of(9, 8, 7));
    lowerBytes(b, 100, Uint8Array.of(1, 2, 3));
    const lifted = liftBytes(a, 101, 2);
    expect([...lifted]).toEqual([8, 7]);
    expect([...liftBytes(b, 100, 3)]).toEqual([1, 2, 3]);
    new Uint8Array(a.buffer)[101] = 0;
    expect(lifted[0]).toBe(8); // an independent copy
    a.grow(1); // the old buffer is detached; the copies follow the new one
    lowerBytes(a, 70000, Uint8Array.of(5));
    expect([...liftBytes(a, 69999, 3)]).toEqual([0, 5, 0]);
    expect([...liftBytes(a, 100, 1)]).toEqual([9]);
    expect(() => liftBytes(a, 2 * 65536 - 1, 2)).toThrow(WebAssembly.RuntimeError);
    expect(() => lowerBytes(b, 65536, Uint8Array.of(1))).toThrow(WebAssembly.RuntimeError);
    expect(liftBytes(a, 2 * 65536, 0)).toHaveLength(0);
    // Pointers above 2 GiB arrive as negative i32: read as unsigned, they lie outside this memory.
    expect(() => liftBytes(a, -1, 1)).toThrow(/lies outside the guest's memory/);
  });

  it('with the host\'s recycler, a large list is lifted into its buffers (a given-back one refilled), a small one sliced', () => {
    type Lift = (m: WebAssembly.Memory, p: number, l: number) => Uint8Array;
    const helpers = (imports: unknown) => new Function('imports', `${BYTE_HELPERS}\nreturn { liftBytes };`)(imports) as { liftBytes: Lift };
    const recycler = new BufferRecycler({ perSize: 2, totalBytes: 1 << 20, minBytes: 4096 });
    const { liftBytes } = helpers({ [HOST_BUFFERS_IMPORT]: recycler });
    const mem = new WebAssembly.Memory({ initial: 1 });
    const bytes = new Uint8Array(mem.buffer);
    bytes.fill(1, 0, 8192);
    const first = liftBytes(mem, 0, 8192);
    expect(recycler.owns(first.buffer)).toBe(true);
    expect([first.byteOffset, first.byteLength, first.buffer.byteLength]).toEqual([0, 8192, 8192]);
    expect(first.every((b) => b === 1)).toBe(true);
    recycler.give(first.buffer); // the holder is done with it (wasi:nn after a compute)
    bytes.fill(2, 100, 8292);
    const second = liftBytes(mem, 100, 8192);
    expect(second.buffer).toBe(first.buffer); // refilled, not allocated
    expect(second.every((b) => b === 2)).toBe(true); // with the new list, every byte of it
    bytes[100] = 3;
    expect(second[0]).toBe(2); // still a copy, not a view of guest memory
    expect(recycler.counts).toEqual({ reused: 1, allocated: 1 });
    const small = liftBytes(mem, 0, 4095);
    expect(recycler.owns(small.buffer)).toBe(false);
    expect(recycler.counts.allocated).toBe(1);
    expect(() => liftBytes(mem, 65536 - 4096, 4097)).toThrow(WebAssembly.RuntimeError);
    // Without the entry, every list is sliced afresh; anything else under the key is refused.
    const plain = helpers({}).liftBytes(mem, 0, 8192);
    expect(recycler.owns(plain.buffer)).toBe(false);
    expect(() => helpers({ [HOST_BUFFERS_IMPORT]: {} })).toThrow(/must be the host's buffer recycler/);
  });

  it('lists of wider elements: their own typed array, aligned or not, bounds-checked', () => {
    const { liftWords } = new Function('imports', `${BYTE_HELPERS}\nreturn { liftWords };`)(undefined) as {
      liftWords: <T>(View: { new (b: ArrayBufferLike, o?: number, n?: number): T; BYTES_PER_ELEMENT: number }, m: WebAssembly.Memory, p: number, n: number) => T;
    };
    const mem = new WebAssembly.Memory({ initial: 1 });
    const bytes = new Uint8Array(mem.buffer);
    // Little-endian words written bytewise: 1, 0x01020304, 0xffffffff at 64; the same at 129 (unaligned).
    const words = [1, 0, 0, 0, 4, 3, 2, 1, 255, 255, 255, 255];
    bytes.set(words, 64);
    bytes.set(words, 129);
    const aligned = liftWords(Uint32Array, mem, 64, 3);
    expect(aligned).toBeInstanceOf(Uint32Array);
    expect([...aligned]).toEqual([1, 0x01020304, 0xffffffff]);
    expect([...liftWords(Uint32Array, mem, 129, 3)]).toEqual([1, 0x01020304, 0xffffffff]);
    bytes[64] = 7;
    expect(aligned[0]).toBe(1); // a copy, not a view of guest memory
    expect(aligned.buffer).not.toBe(mem.buffer);
    expect([...liftWords(Float32Array, mem, 68, 1)]).toEqual([new Float32Array(Uint8Array.of(4, 3, 2, 1).buffer)[0]]);
    expect(liftWords(Uint32Array, mem, 65536, 0)).toHaveLength(0);
    expect(() => liftWords(Uint32Array, mem, 65536 - 8, 3)).toThrow(WebAssembly.RuntimeError);
    expect(() => liftWords(Uint32Array, mem, -4, 1)).toThrow(/lies outside the guest's memory/);
  });

  it('every host import of the i2c guest goes direct, its byte lists through the cached view', async () => {
    const out = await transpileComponent(readFileSync(componentPath('i2c_bench')), { jcoVersion: version });
    const js = new TextDecoder().decode(out.files['component.js']);
    const rawPlain = await transpileComponent(readFileSync(componentPath('i2c_bench')), { rewrite: false });
    const hostImports = new TextDecoder().decode(rawPlain.files['component.js']).match(/const hostProvided = true;/g)!.length;
    expect(out.rewrite!.directImports).toBe(hostImports);
    expect(out.rewrite!.byteListsLifted).toBeGreaterThan(0);
    expect(out.rewrite!.byteListsLowered).toBeGreaterThan(0);
    expect(js).not.toMatch(/new Uint8Array\(memory\d*\.buffer\.slice\(/);
    expect(js).toMatch(/liftBytes\(memory0, ptr\d+, len\d+\)/);
    expect(js).toMatch(/lowerBytes\(memory0, ptr\d+, valData\d+\);/);
    // jco's dataView helper, as rewritten: the same view while the memory is the same and not grown.
    const helper = /let dvMem = null;[\s\S]*?const dataView = .*\n/.exec(js)![0];
    const dataView = new Function(`let dv = new DataView(new ArrayBuffer());\n${helper}\nreturn dataView;`)() as (m: WebAssembly.Memory) => DataView;
    const a = new WebAssembly.Memory({ initial: 1 });
    const b = new WebAssembly.Memory({ initial: 1 });
    const first = dataView(a);
    expect(first.buffer).toBe(a.buffer);
    expect(dataView(a)).toBe(first);
    expect(dataView(b).buffer).toBe(b.buffer);
    a.grow(1);
    expect(dataView(a).buffer).toBe(a.buffer);
    expect(dataView(a).byteLength).toBe(2 * 65536);
  }, 60_000);
});

describe('transpile (the package export)', () => {
  it('gives files that instantiate against createHost, faster bindings by default and jco\'s own on request', async () => {
    const bytes = readFileSync(componentPath('hello'));
    const ours = await transpile(bytes);
    const theirs = await transpile(bytes, { rewrite: false });
    expect(Object.keys(ours.files).sort()).toEqual(Object.keys(theirs.files).sort());
    expect(Object.keys(ours.files)).toContain('component.js');
    expect(ours.rewrite!.directImports).toBeGreaterThan(0);
    expect(theirs.rewrite).toBeUndefined();
    expect(ours.worldImports).toContain('wasi-edge:host/access@0.1.0');
    const out: Buffer[] = [];
    const host = createHost({}, { stdio: { stdout: (c) => out.push(Buffer.from(c)) } });
    try {
      const exports = await (await load(ours)).instantiate(host.imports);
      const run = Object.entries(exports).find(([k]) => k.startsWith('wasi:cli/run'))![1] as { run: () => void };
      run.run();
    } finally {
      host.dispose();
    }
    expect(Buffer.concat(out).toString()).toMatch(/^hello from a wasi-edge guest\n/);
  }, 60_000);
});

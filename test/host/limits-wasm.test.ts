/**
 * The memory and table caps on the binary format (src/host/limits-wasm.ts): small modules written
 * in WAT show what the engine does with the capped module, the committed guests' real core
 * modules show that the instruction reader gets through every body they have.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execAsync } from '../helpers/spawn-async.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capCoreModule, CapTransformError, StartsAboveCapError, type CapResult } from '../../src/host/limits-wasm.js';
import { LimitProbe } from '../../src/host/limits-probe.js';
import { transpileFile } from '../../src/platform/node/load-component.js';
import { componentPath, ROOT } from '../helpers/run-guest.js';

const WAT = {
  memory: `(module
    (memory (export "memory") 1)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size))
    (func (export "grow_twice") (param i32) (result i32)
      (drop (memory.grow (local.get 0)))
      (block (result i32) (memory.grow (local.get 0)))))`,
  ownMax: `(module (memory 1 2) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`,
  big: `(module (memory 10))`,
  table: `(module
    (table $t 1 funcref)
    (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
    (func (export "size") (result i32) (table.size $t)))`,
  none: `(module (func (export "f") (result i32) (i32.const 7)))`,
  memory64: `(module (memory i64 1))`,
  // Instructions around the grow whose immediates the reader must skip exactly.
  mixed: `(module
    (type $s (func (param i32) (result i32)))
    (memory 1)
    (table 2 funcref)
    (global $g (mut i64) (i64.const -123456789012))
    (data "hello")
    (elem (i32.const 0) func $grow)
    (func $grow (type $s) (memory.grow (local.get 0)))
    (func (export "run") (param i32) (result i32) (local v128 f64)
      (local.set 1 (v128.const i32x4 1 2 3 4))
      (local.set 1 (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get 1) (local.get 1)))
      (local.set 2 (f64.const 2.5))
      (global.set $g (i64.extend_i32_s (i32x4.extract_lane 2 (local.get 1))))
      (memory.fill (i32.const 0) (i32.const 1) (i32.const 4))
      (memory.init 0 (i32.const 8) (i32.const 0) (i32.const 5))
      (drop (i32.load8_u offset=3 (i32.const 1)))
      (block $b
        (block $a
          (br_table $a $b (i32.const 0)))
        (return (call_indirect (type $s) (local.get 0) (i32.const 0))))
      (i32.const 42)))`,
};

let bin: Record<keyof typeof WAT, Uint8Array>;

beforeAll(async () => {
  // jco's bundled wasm-tools, in a child: its preview2-shim preopen setting must stay out of this process.
  const script = `import { parseWat } from ${JSON.stringify(join(ROOT, 'scripts/wasm-tools.mjs'))};
    const input = JSON.parse(process.argv[1]);
    const out = {};
    for (const [k, v] of Object.entries(input)) out[k] = Buffer.from(await parseWat(v)).toString('base64');
    console.log(JSON.stringify(out));`;
  const out = JSON.parse(await execAsync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(WAT)])) as Record<string, string>;
  bin = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])) as typeof bin;
});

async function instantiate(r: CapResult) {
  const { instance } = await WebAssembly.instantiate(r.bytes);
  const probe = new LimitProbe();
  probe.record(instance.exports, r.probes);
  return { exports: instance.exports as Record<string, (...a: unknown[]) => number>, probe, raw: instance.exports };
}

describe('memory cap', () => {
  it('memory.grow fails beyond the cap and the refusal is counted with the size asked for', async () => {
    const r = capCoreModule(bin.memory, { maxMemoryPages: 4 });
    expect(r).toMatchObject({ memoriesCapped: 1, memoriesDefined: 1, growsWrapped: 3, tablesCapped: 0 });
    const { exports, probe, raw } = await instantiate(r);
    expect(exports.grow!(2)).toBe(1); // 1 → 3 pages
    expect(probe.refusals()).toEqual({});
    expect(exports.grow!(2)).toBe(-1); // 5 > 4
    expect(exports.size!()).toBe(3);
    expect(exports.grow!(1)).toBe(3); // up to the cap is fine
    expect(exports.grow!(0x10000)).toBe(-1);
    expect(probe.refusals()).toEqual({ memoryPages: 4 + 0x10000 });
    expect((raw['wasi-edge-limits:memory0:refused'] as WebAssembly.Global).value).toBe(2);
    // The engine holds the cap too: the exported memory says it may not grow past 4 pages.
    const memory = raw.memory as WebAssembly.Memory;
    expect(() => memory.grow(1)).toThrow(RangeError);
  });

  it('each grow in a body is routed through the probe, including in nested blocks', async () => {
    const { exports, probe } = await instantiate(capCoreModule(bin.memory, { maxMemoryPages: 2 }));
    expect(exports.grow_twice!(1)).toBe(-1); // the first grow takes 1 → 2, the second is refused
    expect(probe.refusals()).toEqual({ memoryPages: 3 });
  });

  it('a memory whose own maximum is below the cap is left as it was', () => {
    const r = capCoreModule(bin.ownMax, { maxMemoryPages: 4 });
    expect(r.memoriesCapped).toBe(0);
    expect(r.bytes).toBe(bin.ownMax);
  });

  it('a memory that starts above the cap cannot start', () => {
    expect(() => capCoreModule(bin.big, { maxMemoryPages: 4 })).toThrowError(StartsAboveCapError);
    try {
      capCoreModule(bin.big, { maxMemoryPages: 4 });
    } catch (e) {
      expect(e).toMatchObject({ kind: 'memory', initial: 10, cap: 4 });
    }
  });

  it('a module without memory comes back unchanged, and says it defines none', () => {
    const r = capCoreModule(bin.none, { maxMemoryPages: 4, maxTableElements: 10 });
    expect(r).toMatchObject({ memoriesDefined: 0, memoriesImported: 0, memoriesCapped: 0, probes: [] });
    expect(r.bytes).toBe(bin.none);
  });

  it('refuses what it cannot read, by name', () => {
    expect(() => capCoreModule(bin.memory64, { maxMemoryPages: 4 })).toThrowError(/memory64/);
    expect(() => capCoreModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]), { maxMemoryPages: 4 })).toThrowError(CapTransformError);
    // A body cut short: its size claims more than there is.
    const truncated = bin.memory.slice(0, bin.memory.length - 3);
    expect(() => capCoreModule(truncated, { maxMemoryPages: 4 })).toThrowError(CapTransformError);
  });

  it('skips the immediates of SIMD, bulk-memory, constants and branch tables around a grow', async () => {
    const r = capCoreModule(bin.mixed, { maxMemoryPages: 3, maxTableElements: 2 });
    expect(r).toMatchObject({ memoriesCapped: 1, growsWrapped: 1 });
    expect(WebAssembly.validate(r.bytes)).toBe(true);
    const { exports, probe } = await instantiate(r);
    expect(exports.run!(1)).toBe(1); // br_table to $a, then call_indirect grows 1 → 2
    expect(exports.run!(5)).toBe(-1);
    expect(probe.refusals()).toEqual({ memoryPages: 7 });
  });
});

describe('table cap', () => {
  it('table.grow fails beyond the cap and the refusal is counted', async () => {
    const r = capCoreModule(bin.table, { maxTableElements: 3 });
    expect(r).toMatchObject({ tablesCapped: 1, growsWrapped: 1 });
    const { exports, probe } = await instantiate(r);
    expect(exports.grow!(1)).toBe(1);
    expect(exports.grow!(5)).toBe(-1);
    expect(exports.size!()).toBe(2);
    expect(probe.refusals()).toEqual({ tableElements: 7 });
  });

  it('a table that starts above the cap cannot start', () => {
    expect(() => capCoreModule(bin.mixed, { maxTableElements: 1 })).toThrowError(/starts with 2 elements, above the cap of 1/);
  });
});

describe('the committed guests', () => {
  it.each(['facedetect', 'hello', 'fuzz', 'js-facedetect', 'memory_bomb'])('%s: every core module is read to its end and still validates', async (name) => {
    const { dir } = await transpileFile(componentPath(name));
    let defined = 0;
    let wrapped = 0;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.wasm'))) {
      const r = capCoreModule(new Uint8Array(readFileSync(join(dir, f))), { maxMemoryPages: 1024, maxTableElements: 100_000 });
      expect(WebAssembly.validate(r.bytes), f).toBe(true);
      defined += r.memoriesDefined;
      wrapped += r.growsWrapped;
    }
    // Each has one linear memory (in one module) and a malloc that grows it.
    expect(defined).toBe(1);
    expect(wrapped).toBeGreaterThan(0);
  }, 120_000);
});

/**
 * Runs to-tensor's one-pass bilinear loop in WebAssembly with SIMD (tensor-kernel.c, built into
 * tensor-kernel-wasm.ts by scripts/build-vision-simd.mjs): the same samples as the TypeScript loops
 * of ../tensor-bilinear.ts, byte for byte, in about a third of the time (docs/vision.md,
 * "to-tensor without a detour"). The source rows the tensor needs are copied into the module's
 * memory, the tensor values are copied out of it; everything else stays as the TypeScript path has it.
 *
 * One instance per thread, made on first use. Where the engine has no WebAssembly SIMD (or no
 * WebAssembly), `runSimdTensor` answers undefined and the TypeScript loop does the work.
 */
import { FORMAT_PLANES, CHANNEL_OFFSETS, type Raster } from '../formats.js';
import type { BilinearGeometry, TensorTarget } from '../tensor-bilinear.js';
import { TENSOR_KERNEL_WASM } from './tensor-kernel-wasm.js';

type Fn = (...args: number[]) => void;
interface KernelExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  tensor_dyadic: Fn;
  tensor_double: Fn;
}

let exportsOrNull: KernelExports | null | undefined;

/** The kernel's exports, or undefined where this engine cannot run it. */
function kernel(): KernelExports | undefined {
  if (exportsOrNull === undefined) {
    try {
      const bytes = Uint8Array.from(atob(TENSOR_KERNEL_WASM), (c) => c.charCodeAt(0));
      exportsOrNull = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as KernelExports;
    } catch {
      exportsOrNull = null; // no SIMD here: the TypeScript loop gives the same bytes
    }
  }
  return exportsOrNull ?? undefined;
}

/** Whether the kernel runs in this engine (tests use it to say which path they checked). */
export function simdTensorAvailable(): boolean {
  return kernel() !== undefined;
}

const align = (n: number): number => (n + 15) & ~15;

/** Which source rows the kernel reads, each copied once: `order` by slot, and each output row's two slots. */
interface RowPlan {
  order: Int32Array;
  top: Int32Array;
  bottom: Int32Array;
}

const plans = new WeakMap<BilinearGeometry, RowPlan>();

function rowPlan(g: BilinearGeometry, sourceHeight: number): RowPlan {
  const known = plans.get(g);
  if (known) return known;
  const { i0, i1 } = g.y;
  const slotOf = new Int32Array(sourceHeight).fill(-1);
  const order: number[] = [];
  const slot = (row: number): number => {
    if (slotOf[row] === -1) slotOf[row] = order.push(row) - 1;
    return slotOf[row]!;
  };
  const top = new Int32Array(i0.length), bottom = new Int32Array(i0.length);
  for (let y = 0; y < i0.length; y++) {
    top[y] = slot(i0[y]!);
    bottom[y] = slot(i1[y]!);
  }
  const plan = { order: Int32Array.from(order), top, bottom };
  plans.set(g, plan); // the geometry is kept per size (../tensor-bilinear.ts), and its plan with it
  return plan;
}

/**
 * The tensor values of `r` resized by `g`, made by the SIMD kernel, in a buffer of their own;
 * undefined where the kernel cannot run.
 */
export function runSimdTensor(r: Raster, t: TensorTarget, g: BilinearGeometry, output?: (n: number) => Float32Array): Float32Array | undefined {
  const k = kernel();
  if (!k) return undefined;
  const bpp = FORMAT_PLANES[r.format][0]!.unitBytes;
  const { offset, stride } = r.planes[0]!;
  const { width: w, height: h, channels } = t;
  const rowBytes = r.width * bpp;

  const { order, top: topSlot, bottom: bottomSlot } = rowPlan(g, r.height);
  const base = align(k.__heap_base.value as number);
  const table = base;
  const xa = align(table + t.table.byteLength);
  const xb = xa + align(w * 4);
  const fx = xb + align(w * 4);
  const r0 = fx + align(w * 8);
  const r1 = r0 + align(h * 4);
  const fy = r1 + align(h * 4);
  const out = fy + align(h * 8);
  const count = w * h * channels;
  const rows = out + align(count * 4 + 16); // the vector store of the last pixel writes one value past it
  const end = rows + order.length * rowBytes + 16; // px4 reads up to 3 bytes past a pixel
  const missing = end - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
  const buffer = k.memory.buffer;
  const bytes = new Uint8Array(buffer);

  for (let s = 0; s < order.length;) {
    let run = 1;
    while (stride === rowBytes && s + run < order.length && order[s + run] === order[s]! + run) run++;
    const from = offset + order[s]! * stride;
    bytes.set(r.data.subarray(from, from + (run - 1) * stride + rowBytes), rows + s * rowBytes);
    s += run;
  }
  new Float32Array(buffer, table, t.table.length).set(t.table);
  new Int32Array(buffer, xa, w).set(g.xa);
  new Int32Array(buffer, xb, w).set(g.xb);
  const top = new Int32Array(buffer, r0, h), bottom = new Int32Array(buffer, r1, h);
  for (let y = 0; y < h; y++) {
    top[y] = topSlot[y]! * rowBytes;
    bottom[y] = bottomSlot[y]! * rowBytes;
  }
  // The gray tensor reads red, green and blue; a colour one its three picks.
  const [ro, go, bo] = CHANNEL_OFFSETS[r.format]!;
  const [p0, p1, p2] = channels === 3 ? t.picks : [ro, go, bo];
  if (g.kx !== undefined && g.ky !== undefined) {
    new Int32Array(buffer, fx, w).set(g.fxi!);
    new Int32Array(buffer, fy, h).set(g.fyi!);
    const scaled = t.scale !== undefined ? 1 : 0;
    k.tensor_dyadic(rows, r0, r1, fy, xa, xb, fx, w, h, g.kx, g.ky, channels, p0, p1, p2, table, out, t.pixelStep, t.channelStep, scaled, t.scale ?? 0);
  } else {
    new Float64Array(buffer, fx, w).set(g.x.f);
    new Float64Array(buffer, fy, h).set(g.y.f);
    k.tensor_double(rows, r0, r1, fy, xa, xb, fx, w, h, channels, p0, p1, p2, table, out, t.pixelStep, t.channelStep);
  }
  const result = new Float32Array(buffer, out, count);
  if (output) {
    const into = output(count);
    into.set(result);
    return into;
  }
  // slice: one copy into a fresh buffer, not zero-filled first as a new Float32Array would be.
  return new Float32Array(buffer.slice(out, out + count * 4));
}

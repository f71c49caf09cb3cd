/**
 * The ONNX Runtime Web worker (bundled to dist/web/ort-worker.js with onnxruntime-web's wasm
 * build). It owns the inference sessions and answers the component's worker through shared
 * memory (wire.ts); see sync-worker.ts for why. Operations and results are those of the Node
 * backend's worker script in src/nn/backends/onnxruntime-web.ts.
 */
import * as ort from 'onnxruntime-web/wasm';
import { writeReply } from './wire.js';

type Scope = { onmessage: ((e: MessageEvent) => void) | null };
const scope = globalThis as unknown as Scope;

const sessions = new Map<number, ort.InferenceSession>();
let next = 1;
let sab: SharedArrayBuffer | undefined;
const VIEWS: Record<string, new (b: ArrayBuffer, o: number, n: number) => ArrayBufferView> = {
  float16: Uint16Array, float32: Float32Array, float64: Float64Array, uint8: Uint8Array, int32: Int32Array,
  int64: BigInt64Array as unknown as new (b: ArrayBuffer, o: number, n: number) => ArrayBufferView,
};
const meta = (m: ort.InferenceSession.ValueMetadata) => ({
  name: m.name,
  type: m.isTensor ? m.type : 'non-tensor value',
  shape: m.isTensor ? m.shape.map((d) => (typeof d === 'number' ? d : -1)) : [],
});

async function handle(op: string, args: Record<string, unknown>): Promise<unknown> {
  if (op === 'load') {
    const s = await ort.InferenceSession.create(new Uint8Array(args.bytes as ArrayBuffer), {
      executionProviders: ['wasm'],
      logSeverityLevel: 3,
    });
    const id = next++;
    sessions.set(id, s);
    return { id, inputs: s.inputMetadata.map(meta), outputs: s.outputMetadata.map(meta) };
  }
  if (op === 'run') {
    const s = sessions.get(args.id as number);
    if (!s) throw new Error('no such session');
    const feeds: Record<string, ort.Tensor> = {};
    for (const t of args.inputs as { name: string; type: string; dims: number[]; data: ArrayBuffer }[]) {
      const V = VIEWS[t.type]!;
      const per = (V as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      feeds[t.name] = new ort.Tensor(t.type as 'float32', new V(t.data, 0, t.data.byteLength / per) as Float32Array, t.dims);
    }
    const out = await s.run(feeds, { logSeverityLevel: 4 });
    return s.outputNames.map((name) => {
      const t = out[name]!;
      return { name, type: t.type, dims: Array.from(t.dims), data: t.data };
    });
  }
  if (op === 'release') {
    const s = sessions.get(args.id as number);
    sessions.delete(args.id as number);
    if (s) await s.release();
    return true;
  }
  throw new Error('unknown operation ' + op);
}

// Requests arrive one at a time (the caller blocks until each reply), so a simple chain suffices.
let queue: Promise<void> = Promise.resolve();
function request(e: MessageEvent): void {
  const m = e.data as { op: string; args?: Record<string, unknown> };
  queue = queue.then(async () => {
    let reply: unknown;
    try {
      reply = { ok: true, value: await handle(m.op!, m.args ?? {}) };
    } catch (err) {
      reply = { ok: false, message: String((err as Error)?.message ?? err) };
    }
    writeReply(sab!, reply);
  });
}

// The page sends { init: { sab, threads, port? } }; requests then arrive on `port` (from the
// component's worker, see sync-worker.ts) or, without one, on this worker's own channel.
scope.onmessage = (e: MessageEvent) => {
  const m = e.data as { init?: { sab: SharedArrayBuffer; threads: number; port?: MessagePort } };
  if (m.init) {
    sab = m.init.sab;
    ort.env.wasm.numThreads = m.init.threads || 1;
    ort.env.wasm.wasmPaths = new URL('./ort/', import.meta.url).href;
    ort.env.logLevel = 'error';
    if (m.init.port) m.init.port.onmessage = request;
    return;
  }
  request(e);
};

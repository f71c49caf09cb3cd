/** Shared helpers for the nn unit tests: a provider as jco would see it, and error assertions. */
import { expect } from 'vitest';
import { createNnProvider, type NnProvider, type NnProviderOptions } from '../../src/nn/provider.js';
import { NnError, Tensor } from '../../src/nn/provider.js';
import { spawnSyncWorker } from '../../src/platform/node/sync-worker.js';
import { defaultNnConfig, type NnConfig } from '../../src/nn/config.js';
import { WitError } from '../../src/core/wit-error.js';
import type { NnFailureCode } from '../../src/nn/errors.js';

export type Imports = {
  load: (b: Uint8Array[], e: string, t: string) => any;
  loadByName: (n: string) => any;
  Tensor: typeof Tensor;
};

export function makeProvider(overrides: Partial<NnConfig> = {}, options: NnProviderOptions = {}): NnProvider & { api: Imports } {
  const p = createNnProvider({ ...defaultNnConfig(), ...overrides }, undefined, { spawnSyncWorker, ...options });
  const g = p.imports['wasi:nn/graph'] as any;
  return Object.assign(p, { api: { load: g.load, loadByName: g.loadByName, Tensor: (p.imports['wasi:nn/tensor'] as any).Tensor } });
}

/** Calls `f`, expects the WIT `err` of wasi:nn with `code`; returns the error's data. */
export function expectNnError(f: () => unknown, code: NnFailureCode): string {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected wasi:nn error ${code}`).toBeInstanceOf(WitError);
  const payload = (thrown as WitError<unknown>).payload;
  expect(payload).toBeInstanceOf(NnError);
  const err = payload as NnError;
  expect(err.code(), err.data()).toBe(code);
  expect(err.data().length).toBeGreaterThan(0);
  return err.data();
}

export const f32 = (...v: number[]) => new Uint8Array(new Float32Array(v).buffer);
export const asF32 = (b: Uint8Array) => Array.from(new Float32Array(b.slice().buffer));
export const dims = (...d: number[]) => Uint32Array.from(d);
export const tensor = (d: number[], ty: any, data: Uint8Array) => new Tensor(dims(...d), ty, data);

/** Runs a model once: load bytes, context, compute; returns outputs as a name → Tensor map. */
export function run1(p: ReturnType<typeof makeProvider>, model: Uint8Array, inputs: [string, Tensor][], encoding = 'onnx') {
  const graph = p.api.load([model], encoding, 'cpu');
  const ctx = graph.initExecutionContext();
  try {
    return new Map<string, Tensor>(ctx.compute(inputs));
  } finally {
    ctx[Symbol.dispose]();
    graph[Symbol.dispose]();
  }
}

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A real garbage collection (vitest forks do not run with --expose-gc). */
export function forceGc(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

/** Heap in use after a full collection. */
export function heapAfterGc(): number {
  forceGc();
  return process.memoryUsage().heapUsed;
}

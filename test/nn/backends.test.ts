/**
 * Backend-level checks that need no model: onnxruntime-node's internal API is checked on first use
 * and a missing or changed package gives a message naming it; the ONNX sniffer; the sync worker bridge.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadOrtRuntime } from '../../src/nn/backends/onnxruntime-node.js';
import { BackendError } from '../../src/nn/backends/backend.js';
import { looksLikeOnnx } from '../../src/nn/model-format.js';
import { NodeSyncWorker as SyncWorker } from '../../src/platform/node/sync-worker.js';
import { WorkerTimeout } from '../../src/core/blocking-bridge.js';
import * as w from './onnx-writer.mjs';

const realRequire = createRequire(import.meta.url);

function fakeRequire(modules: Record<string, unknown>): NodeJS.Require {
  const req = ((id: string) => {
    if (id in modules) return modules[id];
    const e = new Error(`Cannot find module '${id}'`);
    throw e;
  }) as NodeJS.Require;
  req.resolve = ((id: string) => realRequire.resolve(id)) as NodeJS.RequireResolve;
  return req;
}

function backendError(f: () => unknown): BackendError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return e as BackendError;
  }
  throw new Error('expected a BackendError');
}

describe('onnxruntime-node internal API check', () => {
  it('a missing package: unavailable, naming the package, version and install command', () => {
    const e = backendError(() => loadOrtRuntime(fakeRequire({})));
    expect(e.kind).toBe('unavailable');
    expect(e.message).toMatch(/onnxruntime-node@1\.30\.0/);
    expect(e.message).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1\.30\.0/);
  });

  it('a version whose binding lost methods: unavailable, listing what is missing', () => {
    function InferenceSession() {}
    InferenceSession.prototype.loadModel = () => {};
    const e = backendError(() => loadOrtRuntime(fakeRequire({
      'onnxruntime-node/dist/binding': { binding: { InferenceSession }, initOrt: () => {} },
      'onnxruntime-node/package.json': { version: '9.9.9' },
    })));
    expect(e.kind).toBe('unavailable');
    expect(e.message).toMatch(/onnxruntime-node@9\.9\.9/);
    expect(e.message).toMatch(/InferenceSession\.run\(\), InferenceSession\.dispose\(\)/);
    expect(e.message).toMatch(/tested version is 1\.30\.0/);
  });

  it('the installed package passes the check', () => {
    const rt = loadOrtRuntime(realRequire);
    expect(rt.version).toBe('1.30.0');
    expect(typeof rt.InferenceSession).toBe('function');
  });
});

describe('ONNX sniffing (autodetect)', () => {
  it('recognises every generated model and refuses other formats', () => {
    for (const m of [w.addModel(), w.convModel(), w.twoOutputsModel(), w.u8Model(), w.slowModel(8, 2)]) expect(looksLikeOnnx(m)).toBe(true);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const tflite = Uint8Array.from([0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33, 0, 0, 0, 0]);
    for (const b of [new Uint8Array(0), png, tflite, new TextEncoder().encode('{"graph": 1}')]) expect(looksLikeOnnx(b)).toBe(false);
    // a truncated model is not a model
    const m = w.addModel();
    expect(looksLikeOnnx(m.subarray(0, m.length - 3))).toBe(false);
  });
});

describe('sync worker bridge', () => {
  it('answers synchronously, passes errors through, and stops a worker that takes too long', () => {
    const worker = new SyncWorker(
      `serve(async (op, args) => {
        if (op === 'echo') return [args];
        if (op === 'fail') throw new Error('worker says no');
        if (op === 'hang') { await new Promise(() => {}); }
        throw new Error('unknown ' + op);
      });`,
      {},
    );
    expect(worker.call('echo', { n: 42 }, 10_000)).toEqual({ n: 42 });
    expect(() => worker.call('fail', null, 10_000)).toThrow('worker says no');
    expect(() => worker.call('hang', null, 50)).toThrow(WorkerTimeout);
    expect(worker.dead).toMatch(/hang timed out/);
    expect(() => worker.call('echo', 1, 10_000)).toThrow(/stopped/);
  });
});

describe('sync worker bridge: a worker that fails', () => {
  it('a script that throws while starting answers every call with its error (no hang)', () => {
    const worker = new SyncWorker(`throw new Error('cannot load the runtime');`, {});
    expect(() => worker.call('anything', null, 30_000)).toThrow('cannot load the runtime');
    worker.terminate();
  });

  it('an exception outside the handler answers the call in progress', () => {
    const worker = new SyncWorker(`serve(async (op) => { setTimeout(() => { throw new Error('late failure'); }, 1); return new Promise(() => {}); });`, {});
    expect(() => worker.call('x', null, 30_000)).toThrow('late failure');
    worker.terminate();
  });
});

/**
 * The browser build's pieces that run without a browser: the shared-memory reply codec of the
 * onnxruntime-web bridge, the in-memory file tree and path shims that the shared interface code
 * reads through, the webcam's pixel conversion, and the browser config sugar.
 * (The whole build runs in real Chromium in test/browser/run.mjs, `npm run test:browser`.)
 */
import { describe, expect, it } from 'vitest';
import { createReplyBuffer, readReply, writeReply } from '../../src/platform/browser/nn/wire.js';
import { existsSync, mountFile, readFileSync, readdirSync, statSync, treeOf } from '../../src/platform/browser/shims/fs.js';
import { basename, dirname, extname, join, resolve } from '../../src/platform/browser/shims/path.js';
import { fileURLToPath } from '../../src/platform/browser/shims/url.js';
import { convertRgba } from '../../src/platform/browser/page/webcam-pump.js';
import { browserConfigInput } from '../../src/platform/browser/config.js';

describe('wire: ORT replies through a growable SharedArrayBuffer', () => {
  it('round-trips typed arrays of every element type, in order, with their values', () => {
    const sab = createReplyBuffer();
    const reply = {
      ok: true,
      value: [
        { name: 'a', dims: [2], data: new Float32Array([1.5, -2.25]) },
        { name: 'b', dims: [3], data: new BigInt64Array([1n, -2n, 3n]) },
        { name: 'c', dims: [1], data: new Uint8Array([7]) },
        { name: 'd', dims: [2], data: new Uint16Array([65535, 1]) },
      ],
    };
    writeReply(sab, reply);
    expect(Atomics.load(new Int32Array(sab, 0, 1), 0)).toBe(1);
    const back = readReply(sab) as typeof reply;
    expect(back.ok).toBe(true);
    expect(back.value[0]!.data).toEqual(new Float32Array([1.5, -2.25]));
    expect(back.value[1]!.data).toEqual(new BigInt64Array([1n, -2n, 3n]));
    expect(back.value[2]!.data).toEqual(new Uint8Array([7]));
    expect(back.value[3]!.data).toEqual(new Uint16Array([65535, 1]));
    // Decoded arrays own fresh (unshared) buffers: the next reply may overwrite the shared one.
    expect(back.value[0]!.data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('grows the buffer for a reply larger than its initial 1 MiB', () => {
    const sab = createReplyBuffer();
    const big = new Float32Array(600_000).map((_, i) => i);
    writeReply(sab, { ok: true, value: { data: big } });
    expect(sab.byteLength).toBeGreaterThan(1 << 21);
    const back = readReply(sab) as { value: { data: Float32Array } };
    expect(back.value.data.length).toBe(600_000);
    expect(back.value.data[599_999]).toBe(599_999);
  });

  it('carries errors as messages', () => {
    const sab = createReplyBuffer();
    writeReply(sab, { ok: false, message: 'no such session' });
    expect(readReply(sab)).toEqual({ ok: false, message: 'no such session' });
  });
});

describe('in-memory file tree (node:fs in the browser build)', () => {
  mountFile('/t/models/m.onnx', new Uint8Array([1, 2, 3]));
  mountFile('/t/images/b.png', new Uint8Array([9]));
  mountFile('/t/images/a.png', new Uint8Array([8]));

  it('reads, stats and lists mounted files; directories are implied by their files', () => {
    expect(readFileSync('/t/models/m.onnx')).toEqual(new Uint8Array([1, 2, 3]));
    expect(readFileSync('/t/models/../models/./m.onnx')).toEqual(new Uint8Array([1, 2, 3]));
    expect(statSync('/t/models/m.onnx').size).toBe(3);
    expect(statSync('/t/models/m.onnx').isFile()).toBe(true);
    expect(statSync('/t/images').isDirectory()).toBe(true);
    expect(readdirSync('/t/images')).toEqual(['a.png', 'b.png']);
    expect(existsSync('/t/nothing')).toBe(false);
  });

  it('fails like Node for what is not there (ENOENT, EISDIR, ENOTDIR)', () => {
    expect(() => readFileSync('/t/missing.onnx')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => readFileSync('/t/images')).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(() => readdirSync('/t/models/m.onnx')).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => statSync('/t/none')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('gives preopens a copy of a directory as a preview2-shim tree', () => {
    const tree = treeOf('/t');
    expect(Object.keys(tree.dir!).sort()).toEqual(['images', 'models']);
    const m = tree.dir!.models!.dir!['m.onnx']!.source as Uint8Array;
    expect(m).toEqual(new Uint8Array([1, 2, 3]));
    m[0] = 99; // a guest writing through the preopen does not change the mounted file
    expect(readFileSync('/t/models/m.onnx')).toEqual(new Uint8Array([1, 2, 3]));
    expect(treeOf('/t/empty')).toEqual({ dir: {} });
  });
});

describe('path and url shims', () => {
  it('behave like node:path (POSIX) for what the config code uses', () => {
    expect(resolve('/', 'fixtures/models')).toBe('/fixtures/models');
    expect(resolve('/base', '/abs', 'x/../y')).toBe('/abs/y');
    expect(join('/a', 'b', '../c')).toBe('/a/c');
    expect(dirname('/a/b/c.png')).toBe('/a/b');
    expect(basename('/a/b/c.png')).toBe('c.png');
    expect(extname('/a/b/c.onnx')).toBe('.onnx');
  });

  it('fileURLToPath of the bundle URL names the file in the tree', () => {
    expect(fileURLToPath(new URL('../../fixtures/sensor/sequence', 'http://127.0.0.1:8787/dist/web/worker.js'))).toBe('/fixtures/sensor/sequence');
  });
});

describe('webcam pixel conversion (canvas RGBA → the configured format)', () => {
  const rgba = new Uint8ClampedArray([10, 20, 30, 255, 200, 100, 50, 255]);
  it('rgb24, bgr24, gray, argb32', () => {
    const rgb = new Uint8Array(6);
    convertRgba(rgba, 2, 1, 'rgb24', rgb);
    expect([...rgb]).toEqual([10, 20, 30, 200, 100, 50]);
    const bgr = new Uint8Array(6);
    convertRgba(rgba, 2, 1, 'bgr24', bgr);
    expect([...bgr]).toEqual([30, 20, 10, 50, 100, 200]);
    const gray = new Uint8Array(2);
    convertRgba(rgba, 2, 1, 'gray', gray);
    // Full-range luma rounded half up: 0.299·10 + 0.587·20 + 0.114·30 = 18.15, ·200,100,50 = 124.2.
    expect([...gray]).toEqual([18, 124]);
    const argb = new Uint8Array(8);
    convertRgba(rgba, 2, 1, 'argb32', argb);
    expect([...argb]).toEqual([255, 10, 20, 30, 255, 200, 100, 50]);
  });
  it('yuy2 is the same limited-range BT.601 as the sensor and wasi:vision', () => {
    const yuy2 = new Uint8Array(4);
    convertRgba(rgba, 2, 1, 'yuy2', yuy2);
    // Exact values rounded once (test/core/bt601_reference.py): Y 16 + 219/255 L; Cb, Cr of the pair's mean.
    expect([...yuy2]).toEqual([32, 113, 123, 149]);
  });
  it('refuses a format it cannot produce', () => {
    expect(() => convertRgba(rgba, 2, 1, 'mjpeg', new Uint8Array(8))).toThrow(/unsupported pixel format mjpeg/);
    expect(() => convertRgba(rgba, 2, 1, 'nv12', new Uint8Array(8))).toThrow(/unsupported pixel format nv12/);
  });
});

describe('browser config sugar', () => {
  it('leaves a webcam device as it is (a real sensor kind the browser platform opens)', () => {
    const out = browserConfigInput({ sensor: { devices: { cam: { kind: 'webcam', width: 320 } } } }) as {
      sensor: { devices: { cam: Record<string, unknown> } };
      nn: { backend: string };
    };
    expect(out.sensor.devices.cam).toEqual({ kind: 'webcam', width: 320 });
    expect(out.nn.backend).toBe('onnxruntime-web');
  });
  it('defaults wasi:nn to onnxruntime-web but keeps an explicit backend', () => {
    expect((browserConfigInput({}) as { nn: { backend: string } }).nn.backend).toBe('onnxruntime-web');
    expect((browserConfigInput({ nn: { backend: 'onnxruntime-node' } }) as { nn: { backend: string } }).nn.backend).toBe('onnxruntime-node');
  });
});

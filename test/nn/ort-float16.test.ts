/**
 * FP16 inputs reach onnxruntime-node as raw Uint16 bits also where the runtime has Float16Array
 * (Node 24, Deno, Bun), where onnxruntime-common 1.30 would re-wrap them in a Float16Array that the
 * native binding reads as 0 bytes. Node 20 has no Float16Array, so a child process gets a stand-in
 * (onnxruntime-common only checks that `Float16Array.from` exists) before onnxruntime-common first
 * looks. The real runtimes run the same path in the nn/functions/fp16-tensors conformance case
 * (npm run test:runtimes).
 */
import { spawnAsync } from '../helpers/spawn-async.js';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const backend = fileURLToPath(new URL('../../dist/nn/backends/onnxruntime-node.js', import.meta.url));
let ortInstalled = true;
try {
  createRequire(import.meta.url).resolve('onnxruntime-node/dist/binding');
} catch {
  ortInstalled = false;
}

const script = `
globalThis.Float16Array = class Float16Array extends Uint16Array {};
const { createRequire } = await import('node:module');
const { inputTensor } = await import(${JSON.stringify(pathToFileURL(backend).href)});
const req = createRequire(${JSON.stringify(backend)});
const { Tensor } = createRequire(req.resolve('onnxruntime-node/dist/binding'))('onnxruntime-common');
const bits = Uint16Array.from([0x3c00, 0xc000, 0x7bff]);
const plain = new Tensor('float16', bits, [3]);
const ours = inputTensor(Tensor, 'float16', bits, [3]);
const f32 = Float32Array.from([1, 2]);
console.log(JSON.stringify({
  plain: plain.data.constructor.name,
  same: ours.data === bits, type: ours.type, dims: ours.dims,
  f32Same: inputTensor(Tensor, 'float32', f32, [2]).data === f32,
}));
`;

describe.skipIf(!ortInstalled)('onnxruntime-node float16 inputs where Float16Array exists', () => {
  it('keep the Uint16 bits onnxruntime-common would turn into a Float16Array', async () => {
    const r = await spawnAsync(process.execPath, ['--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout);
    // The premise: with Float16Array present, onnxruntime-common re-wraps the bits.
    expect(got.plain).toBe('Float16Array');
    expect(got).toMatchObject({ same: true, type: 'float16', dims: [3], f32Same: true });
  });
});

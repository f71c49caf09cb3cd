#!/usr/bin/env node
// Writes the tiny ONNX models the wasi:nn conformance cases use (committed next to this file), with
// the ONNX writer of this repository's nn tests (test/nn/onnx-writer.mjs). Run it again only if the
// writer changes: node conformance/nn/models/generate.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import * as w from '../../../test/nn/onnx-writer.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
const models = {
  'add.onnx': w.addModel(), // sum = a + b, f32 [2,3]
  'two-outputs.onnx': w.twoOutputsModel(), // double = x + x, square = x * x, f32 [4]
  'dynamic-batch.onnx': w.dynamicBatchModel(), // y = relu(x), f32 [N,3]
  'reshape.onnx': w.reshapeModel(), // y = reshape(x, [2,3]), x f32 [N]: fails at run time unless N = 6
  'unknown-op.onnx': w.unknownOpModel(), // an operator no runtime knows
  'bf16.onnx': w.identityModel(w.DT.BFLOAT16), // y = x, bf16 [3]
  'u8.onnx': w.u8Model(), // y = x + 1, u8 [4]
  'fp16.onnx': w.identityModel(w.DT.FLOAT16), // y = x, fp16 [3]
  'bool-output.onnx': w.boolOutputModel(), // y = x > 0: a bool output wasi:nn cannot express
};
for (const [name, bytes] of Object.entries(models)) writeFileSync(join(dir, name), bytes);
writeFileSync(join(dir, 'junk.bin'), 'definitely not a model\n');
console.log(`wrote ${Object.keys(models).length} models and junk.bin to ${dir}`);

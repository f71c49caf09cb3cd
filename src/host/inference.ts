/**
 * The inference service of HostServices: a network run on camera frames, for the on-sensor-AI
 * camera (src/sensor/devices/ai-camera.ts). Composed here because it takes one thing from each of
 * two interfaces that must not import each other: wasi:vision's to-tensor (the frame → input
 * tensor, bit for bit what a guest's `to-tensor` would make) and wasi:nn's configured backend,
 * thread count, timeout and model-size limit. The sensor folder sees only the contract in
 * src/core/services.ts.
 */
import { readFileSync } from 'node:fs';
import type { FrameNetwork, FrameNetworkOptions, InferenceService, InferenceTensor } from '../core/services.js';
import type { NnConfig } from '../nn/config.js';
import type { NnPlatform } from '../nn/backends/backend.js';
import { backendFor } from '../nn/backends/registry.js';
import { TENSOR_TYPE_OF, isElementType } from '../nn/element-types.js';
import { toTensor } from '../vision/to-tensor.js';
import type { Format } from '../vision/formats.js';

export function createInferenceService(nn: NnConfig, platform: NnPlatform): InferenceService {
  return {
    open(options: FrameNetworkOptions): FrameNetwork {
      const backend = backendFor('onnx', { onnx: nn.backend });
      if (!backend) throw new Error(`no wasi:nn backend serves onnx on this host (nn.backend = ${nn.backend})`);
      const bytes = readFileSync(options.model);
      if (bytes.length > nn.limits.modelBytes) {
        throw new Error(`${options.model} is ${bytes.length} bytes; the limit is ${nn.limits.modelBytes} (nn.limits.modelBytes)`);
      }
      let graph: ReturnType<typeof backend.load> | undefined = backend.load([bytes], {
        threads: options.threads,
        timeoutMs: nn.timeoutMs,
        spawnSyncWorker: platform.spawnSyncWorker,
      });
      const input = graph.inputs[0];
      if (!input || input.type !== 'float32') {
        graph.release();
        throw new Error(`${options.model}: the first input must be float32 NHWC`);
      }
      return {
        run(pixels, layout): InferenceTensor[] {
          if (!graph) throw new Error('the network was closed');
          const stride = layout.strideBytes || pixels.length / layout.height;
          const raster = { width: layout.width, height: layout.height, format: layout.pixelFormat as Format, data: pixels, planes: [{ offset: 0, stride }] };
          const tensor = toTensor(raster, {
            width: options.inputWidth, height: options.inputHeight, method: 'bilinear', layout: 'nhwc', element: 'f32', channels: 'rgb',
            // f32, as a guest's to-tensor options carry them: the same tensor, bit for bit.
            normalization: { kind: 'scale-offset', scale: Math.fround(options.scale), offset: Math.fround(options.offset) },
          });
          const outputs = graph.compute([{ name: input.name, type: 'float32', dims: tensor.dimensions, data: tensor.bytes }]);
          return outputs.map((t) => {
            if (!isElementType(t.type)) throw new Error(`output ${t.name} has element type ${t.type}, which wasi:nn cannot name`);
            return { name: t.name, type: TENSOR_TYPE_OF[t.type], dims: Array.from(t.dims), data: t.data };
          });
        },
        close() {
          graph?.release();
          graph = undefined;
        },
      };
    },
  };
}

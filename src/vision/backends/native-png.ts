/**
 * PNG encoding through the platform's native zlib (Node: src/platform/node/zlib.ts), in the calling
 * thread: on the 512×512 demo frame it is faster than libvips behind the worker round trip and its
 * files are a third smaller (docs/vision.md, "PNG encoding"). Any backend can take it; the
 * selection (./select.ts) gives it to `auto` and `sharp` where the platform has a zlib.
 */
import { encodePngWith, type NativeZlib } from '../../core/codecs/png-writer.js';
import { pngSource } from '../codecs.js';
import type { VisionBackend } from './backend.js';

export function withNativePng(backend: VisionBackend, zlib: NativeZlib): VisionBackend {
  return {
    ...backend,
    pngEncoder: `${zlib.name}, in-process, Up filter`,
    encodePng(r) {
      const s = pngSource(r);
      return encodePngWith(zlib, s.width, s.height, s.channels, s.data);
    },
  };
}

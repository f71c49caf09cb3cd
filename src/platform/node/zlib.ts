/**
 * Node's zlib for the host's PNG encoder (src/core/codecs/png-writer.ts): synchronous and in this
 * thread, so a wasi:vision `encode` needs no worker round trip. `zlib.crc32` arrived in Node
 * 20.15; on an older Node there is no native zlib here and PNG encoding stays with the vision
 * backend's own codec (libvips or fast-png).
 */
import zlib from 'node:zlib';
import type { NativeZlib } from '../../core/codecs/png-writer.js';

function nodeZlib(): NativeZlib | undefined {
  const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  if (typeof crc32 !== 'function') return undefined;
  const options = { level: 1, strategy: zlib.constants.Z_RLE };
  return {
    name: `node:zlib ${process.versions.zlib}`,
    deflateRle: (data) => zlib.deflateSync(data, options),
    crc32: (data, crc = 0) => crc32(data, crc),
  };
}

export const nativeZlib = nodeZlib();

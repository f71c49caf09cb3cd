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
  // memLevel 9 (zlib's default is 8): twice the symbol buffer, so half the blocks, each with its own
  // Huffman trees; 25 % faster on the demo frame. One output chunk as large as the input: no
  // concatenation of 16 KiB pieces (RLE output of filtered rows is smaller than them).
  const options = (data: Uint8Array): zlib.ZlibOptions => ({
    level: 1, strategy: zlib.constants.Z_RLE, memLevel: 9, chunkSize: Math.max(64 * 1024, data.length + 1024),
  });
  return {
    name: `node:zlib ${process.versions.zlib} (RLE strategy, level 1, memLevel 9)`,
    deflateRle: (data) => zlib.deflateSync(data, options(data)),
    crc32: (data, crc = 0) => crc32(data, crc),
  };
}

export const nativeZlib = nodeZlib();

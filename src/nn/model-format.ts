/**
 * Recognises model formats from their bytes, for `autodetect` and to tell "not a model" apart
 * from a backend failure before a backend sees the bytes.
 *
 * ONNX files are a protobuf `ModelProto` with no magic number. We walk the top-level wire format:
 * every field must be well-formed, the walk must end exactly at the end of the buffer, and field 7
 * (`graph`, length-delimited) must be present with field 1 (`ir_version`, varint) or field 8
 * (`opset_import`). Random bytes, images, TFLite flatbuffers and text fail this almost always.
 */

/** Reads a varint at `at`; returns [value, next] or undefined when malformed. */
function varint(b: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (at >= b.length) return undefined;
    const byte = b[at++]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return [value, at];
  }
  return undefined;
}

export function looksLikeOnnx(bytes: Uint8Array): boolean {
  let at = 0;
  let graph = false;
  let version = false;
  while (at < bytes.length) {
    const k = varint(bytes, at);
    if (!k) return false;
    const [key, afterKey] = k;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) return false;
    at = afterKey;
    if (wire === 0) {
      const v = varint(bytes, at);
      if (!v) return false;
      at = v[1];
      if (field === 1) version = true;
    } else if (wire === 1) {
      at += 8;
    } else if (wire === 2) {
      const len = varint(bytes, at);
      if (!len) return false;
      at = len[1] + len[0];
      if (field === 7) graph = true;
      if (field === 8) version = true;
    } else if (wire === 5) {
      at += 4;
    } else {
      return false; // groups (3, 4) do not occur in ONNX; 6, 7 do not exist
    }
    if (at > bytes.length) return false;
  }
  return graph && version;
}

/** The encoding `autodetect` resolves to, or undefined. */
export function detectEncoding(parts: readonly Uint8Array[]): 'onnx' | undefined {
  if (parts.length === 1 && looksLikeOnnx(parts[0]!)) return 'onnx';
  return undefined;
}

/**
 * Element types as the backends see them (ONNX Runtime's names), with their sizes. The provider maps
 * the seven wasi:nn `tensor-type` cases onto these; anything a model uses beyond them (bool, int8,
 * uint16, string, …) has no wasi:nn spelling and is reported as `unsupported-operation`.
 */
import type { TensorType } from '../core/services.js';

export type ElementType = 'float16' | 'float32' | 'float64' | 'bfloat16' | 'uint8' | 'int32' | 'int64';

export const ELEMENT_SIZE: Readonly<Record<ElementType, number>> = {
  float16: 2,
  float32: 4,
  float64: 8,
  bfloat16: 2,
  uint8: 1,
  int32: 4,
  int64: 8,
};

export function isElementType(name: string): name is ElementType {
  return Object.prototype.hasOwnProperty.call(ELEMENT_SIZE, name);
}

/**
 * Π(dims) × element size, or undefined when it exceeds 2^53 (no such buffer can exist, so any
 * actual byte length is then a mismatch).
 */
export function expectedByteLength(dims: ArrayLike<number>, type: ElementType): number | undefined {
  let n = ELEMENT_SIZE[type];
  for (let i = 0; i < dims.length; i++) {
    n *= dims[i]!;
    if (n > Number.MAX_SAFE_INTEGER) return undefined;
  }
  return n;
}

/**
 * The dimensions as a plain array. (Not Array.from: on a typed array it walks the iterator protocol,
 * an object per element, and was the largest cost of compute's own bookkeeping on a small model.)
 */
export function dimsArray(dims: ArrayLike<number>): number[] {
  const out = new Array<number>(dims.length);
  for (let i = 0; i < dims.length; i++) out[i] = dims[i]!;
  return out;
}

/** `[1,128,128,3]` style, with -1 shown as `?` (a dynamic dimension); long shapes are cut short. */
export function formatShape(shape: ArrayLike<number>): string {
  const shown = Array.from({ length: Math.min(shape.length, 8) }, (_, i) => (shape[i]! < 0 ? '?' : String(shape[i])));
  if (shape.length > 8) shown.push(`… (${shape.length} dimensions)`);
  return `[${shown.join(',')}]`;
}

/** A guest-given name for a message: quoted, and cut short so messages stay small. */
export function quote(name: string): string {
  return `'${name.length > 64 ? name.slice(0, 64) + '…' : name}'`;
}

/**
 * A copy in a fresh, exactly-sized ArrayBuffer. (Not `.slice()`: on a Node Buffer that returns a view
 * of the same memory, often inside Node's shared 8 KiB pool.)
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** The wasi:nn `tensor-type` of each element type (the provider and the host's frame inference use it). */
export const TENSOR_TYPE_OF: Readonly<Record<ElementType, TensorType>> = {
  float16: 'FP16',
  float32: 'FP32',
  float64: 'FP64',
  bfloat16: 'BF16',
  uint8: 'U8',
  int32: 'I32',
  int64: 'I64',
};

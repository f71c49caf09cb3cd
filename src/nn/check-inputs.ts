/**
 * Checks the tensors a guest hands to `compute` against the model, before the backend sees them,
 * so that every guest mistake gets `invalid-argument` with expected and actual spelled out
 * (wasmtime reports these as `runtime-error`, or panics; see docs/spec-notes/nn.md).
 *
 * Order: tensor on its own (size limit → too-large, byte length) → against the model (name, element
 * type, rank, static dimensions) → completeness (every model input given once).
 */
import type { BackendTensor, NnBackend, TensorInfo } from './backends/backend.js';
import { ELEMENT_SIZE, dimsArray, expectedByteLength, formatShape, isElementType, quote, type ElementType } from './element-types.js';
import { fail } from './errors.js';

export interface GivenTensor {
  name: string;
  type: ElementType;
  dims: ArrayLike<number>;
  data: Uint8Array;
}

export function checkTensorItself(t: GivenTensor, tensorBytes: number): void {
  if (t.data.byteLength > tensorBytes) {
    fail('too-large', `input ${quote(t.name)} is ${t.data.byteLength} bytes; this host's limit is ${tensorBytes} (nn.limits.tensorBytes)`);
  }
  const expected = expectedByteLength(t.dims, t.type);
  if (expected !== t.data.byteLength) {
    const shape = formatShape(t.dims);
    fail(
      'invalid-argument',
      `input ${quote(t.name)}: ${shape} × ${t.type} (${ELEMENT_SIZE[t.type]} bytes) needs ` +
        `${expected ?? 'more than 2^53'} bytes of data, got ${t.data.byteLength}`,
    );
  }
}

function checkAgainstModel(t: GivenTensor, info: TensorInfo, backend: NnBackend): void {
  if (!backend.supports(t.type)) {
    fail('unsupported-operation', `input ${quote(t.name)}: ${backend.name} cannot take ${t.type} tensors`);
  }
  if (!isElementType(info.type)) {
    fail('unsupported-operation', `model input ${quote(info.name)} has element type ${info.type}, which wasi:nn tensors cannot express`);
  }
  if (t.type !== info.type) {
    fail('invalid-argument', `input ${quote(t.name)}: element type expected ${info.type}, got ${t.type}`);
  }
  if (t.dims.length !== info.shape.length) {
    fail(
      'invalid-argument',
      `input ${quote(t.name)}: rank expected ${info.shape.length} ${formatShape(info.shape)}, got ${t.dims.length} ${formatShape(t.dims)}`,
    );
  }
  for (let i = 0; i < info.shape.length; i++) {
    const want = info.shape[i]!;
    if (want >= 0 && want !== t.dims[i]) {
      fail(
        'invalid-argument',
        `input ${quote(t.name)}: dimension ${i} expected ${want}, got ${t.dims[i]} (model ${formatShape(info.shape)}, given ${formatShape(t.dims)})`,
      );
    }
  }
}

/** Returns the inputs in model order, ready for the backend, or throws NnFailure. */
export function checkInputs(
  given: readonly GivenTensor[],
  model: readonly TensorInfo[],
  backend: NnBackend,
  tensorBytes: number,
): BackendTensor[] {
  const byName = new Map<string, GivenTensor>();
  for (const t of given) {
    if (byName.has(t.name)) fail('invalid-argument', `input ${quote(t.name)} is given twice`);
    byName.set(t.name, t);
  }
  // Built only for a message: compute is on the hot path.
  const expectedNames = () => model.map((i) => quote(i.name)).join(', ') || 'none';
  for (const t of given) {
    checkTensorItself(t, tensorBytes);
    const info = model.find((i) => i.name === t.name);
    if (!info) fail('invalid-argument', `the model has no input named ${quote(t.name)} (its inputs: ${expectedNames()})`);
    checkAgainstModel(t, info, backend);
  }
  return model.map((info) => {
    const t = byName.get(info.name);
    if (!t) fail('invalid-argument', `model input ${quote(info.name)} was not given (inputs: ${expectedNames()})`);
    return { name: t.name, type: t.type, dims: dimsArray(t.dims), data: t.data };
  });
}

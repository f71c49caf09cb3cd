// A small, zero-dependency ONNX writer for tests and benches (not part of the library).
// It writes the protobuf wire format by hand; field numbers are those of onnx/onnx.proto
// (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto, TypeProto, TensorProto).
// Only what the tiny test models need: nodes with int/float/ints attributes, raw-data initializers,
// tensor inputs/outputs with static or symbolic dimensions.

/** ONNX TensorProto.DataType numbers. */
export const DT = {
  FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
  FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, BFLOAT16: 16,
};

// ---- protobuf wire format --------------------------------------------------------------------

function varint(n) {
  let v = BigInt.asUintN(64, BigInt(n));
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}

const key = (field, wire) => varint((field << 3) | wire);
const concat = (parts) => {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const u8 = (a) => Uint8Array.from(a);
const fInt = (field, n) => u8([...key(field, 0), ...varint(n)]);
const fBytes = (field, bytes) => concat([u8(key(field, 2)), u8(varint(bytes.length)), bytes]);
const fStr = (field, s) => fBytes(field, new TextEncoder().encode(s));
const fMsg = (field, parts) => fBytes(field, concat(parts));
const fFloat = (field, x) => concat([u8(key(field, 5)), new Uint8Array(new Float32Array([x]).buffer)]);

// ---- ONNX messages ---------------------------------------------------------------------------

/** TensorShapeProto.Dimension: a number is a static size, a string a symbolic one ("N"). */
function dim(d) {
  return typeof d === 'string' ? fMsg(1, [fStr(2, d)]) : fMsg(1, [fInt(1, d)]);
}

/** ValueInfoProto for a tensor. `shape` undefined = unknown rank. */
export function valueInfo(name, elemType, shape) {
  const tensorType = [fInt(1, elemType)];
  if (shape) tensorType.push(fMsg(2, shape.map(dim)));
  return [fStr(1, name), fMsg(2, [fMsg(1, tensorType)])];
}

/** AttributeProto. Values: {i}, {f}, {ints}, {floats}. */
function attribute(name, value) {
  if ('i' in value) return [fStr(1, name), fInt(3, value.i), fInt(20, 2)];
  if ('f' in value) return [fStr(1, name), fFloat(2, value.f), fInt(20, 1)];
  if ('ints' in value) return [fStr(1, name), ...value.ints.map((v) => fInt(8, v)), fInt(20, 7)];
  if ('floats' in value) return [fStr(1, name), ...value.floats.map((v) => fFloat(7, v)), fInt(20, 6)];
  throw new Error(`unsupported attribute ${name}`);
}

/** NodeProto. */
export function node(opType, inputs, outputs, attrs = {}) {
  return [
    ...inputs.map((i) => fStr(1, i)),
    ...outputs.map((o) => fStr(2, o)),
    fStr(3, `${opType}_${outputs[0]}`),
    fStr(4, opType),
    ...Object.entries(attrs).map(([k, v]) => fMsg(5, attribute(k, v))),
  ];
}

/** TensorProto initializer with raw little-endian data. */
export function initializer(name, elemType, dims, rawBytes) {
  return [...dims.map((d) => fInt(1, d)), fInt(2, elemType), fStr(8, name), fBytes(9, rawBytes)];
}

/**
 * A whole ModelProto (IR 8, default-domain opset 13 unless given).
 * graph: { nodes, inputs: [name, type, shape][], outputs: [...], initializers?: [name, type, dims, bytes][] }
 */
export function model(graph, { opset = 13, irVersion = 8 } = {}) {
  const g = [
    ...graph.nodes.map((n) => fMsg(1, node(...n))),
    fStr(2, graph.name ?? 'test'),
    ...(graph.initializers ?? []).map((t) => fMsg(5, initializer(...t))),
    ...graph.inputs.map((v) => fMsg(11, valueInfo(...v))),
    ...graph.outputs.map((v) => fMsg(12, valueInfo(...v))),
  ];
  return concat([
    fInt(1, irVersion),
    fStr(2, 'wasi-edge-host test onnx-writer'),
    fMsg(7, g),
    fMsg(8, [fStr(1, ''), fInt(2, opset)]),
  ]);
}

const f32bytes = (values) => new Uint8Array(new Float32Array(values).buffer);
const i64bytes = (values) => new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);

// ---- the tiny models the tests use ------------------------------------------------------------

/** sum = a + b, float32 [2,3]. */
export function addModel() {
  return model({
    nodes: [['Add', ['a', 'b'], ['sum']]],
    inputs: [['a', DT.FLOAT, [2, 3]], ['b', DT.FLOAT, [2, 3]]],
    outputs: [['sum', DT.FLOAT, [2, 3]]],
  });
}

/** y = conv(x, w) with a 3x3 all-ones kernel (a 3x3 box sum): x f32 [1,1,4,4] → y [1,1,2,2]. */
export function convModel() {
  return model({
    nodes: [['Conv', ['x', 'w'], ['y'], { kernel_shape: { ints: [3, 3] } }]],
    initializers: [['w', DT.FLOAT, [1, 1, 3, 3], f32bytes(new Array(9).fill(1))]],
    inputs: [['x', DT.FLOAT, [1, 1, 4, 4]]],
    outputs: [['y', DT.FLOAT, [1, 1, 2, 2]]],
  });
}

/** Two outputs: double = x + x, square = x * x, float32 [4]. */
export function twoOutputsModel() {
  return model({
    nodes: [['Add', ['x', 'x'], ['double']], ['Mul', ['x', 'x'], ['square']]],
    inputs: [['x', DT.FLOAT, [4]]],
    outputs: [['double', DT.FLOAT, [4]], ['square', DT.FLOAT, [4]]],
  });
}

/** Dynamic batch: y = relu(x), x float32 [N,3]. */
export function dynamicBatchModel() {
  return model({
    nodes: [['Relu', ['x'], ['y']]],
    inputs: [['x', DT.FLOAT, ['N', 3]]],
    outputs: [['y', DT.FLOAT, ['N', 3]]],
  });
}

/** Element-wise a + b for one element type (FLOAT, DOUBLE, INT32, INT64 ...), shape [3]. */
export function addTypedModel(elemType) {
  return model({
    nodes: [['Add', ['a', 'b'], ['sum']]],
    inputs: [['a', elemType, [3]], ['b', elemType, [3]]],
    outputs: [['sum', elemType, [3]]],
  });
}

/** y = identity(x) for one element type, shape [3] (used for U8, FP16, BF16, BOOL). */
export function identityModel(elemType, shape = [3]) {
  return model({
    nodes: [['Identity', ['x'], ['y']]],
    inputs: [['x', elemType, shape]],
    outputs: [['y', elemType, shape]],
  });
}

/** y = (x > 0): float32 [3] in, bool out — an output type wasi:nn tensors cannot express. */
export function boolOutputModel() {
  return model({
    nodes: [['Greater', ['x', 'zero'], ['y']]],
    initializers: [['zero', DT.FLOAT, [], f32bytes([0])]],
    inputs: [['x', DT.FLOAT, [3]]],
    outputs: [['y', DT.BOOL, [3]]],
  });
}

/** y = reshape(x, [2,3]): x float32 [N]; fails inside ORT at run time unless N = 6. */
export function reshapeModel() {
  return model({
    nodes: [['Reshape', ['x', 'shape'], ['y']]],
    initializers: [['shape', DT.INT64, [2], i64bytes([2, 3])]],
    inputs: [['x', DT.FLOAT, ['N']]],
    outputs: [['y', DT.FLOAT, [2, 3]]],
  });
}

/** A well-formed model using an operator no ONNX Runtime knows. */
export function unknownOpModel() {
  return model({
    nodes: [['NoSuchOperator', ['x'], ['y']]],
    inputs: [['x', DT.FLOAT, [3]]],
    outputs: [['y', DT.FLOAT, [3]]],
  });
}

/** u8 in and out: y = uint8(float(x) + 1), shape [4] (values above 254 saturate or wrap per ORT's Cast). */
export function u8Model() {
  return model({
    nodes: [
      ['Cast', ['x'], ['xf'], { to: { i: DT.FLOAT } }],
      ['Add', ['xf', 'one'], ['yf']],
      ['Cast', ['yf'], ['y'], { to: { i: DT.UINT8 } }],
    ],
    initializers: [['one', DT.FLOAT, [], f32bytes([1])]],
    inputs: [['x', DT.UINT8, [4]]],
    outputs: [['y', DT.UINT8, [4]]],
  });
}

/** Identity with a dynamic rank-2 input of one element type (property tests). */
export function dynamicIdentityModel(elemType) {
  return identityModel(elemType, ['a', 'b']);
}

/**
 * A deliberately slow model with a small input: x [n,n] multiplied by itself k times in a chain
 * (k × 2n³ FLOP; n = 512, k = 128 is ~34 GFLOP, tens of seconds on one wasm thread). For timeout tests.
 */
export function slowModel(n = 512, k = 128) {
  const nodes = [];
  let prev = 'x';
  for (let i = 0; i < k; i++) {
    const out = i === k - 1 ? 'y' : `m${i}`;
    nodes.push(['MatMul', [prev, prev], [out]]);
    prev = out;
  }
  return model({
    nodes,
    inputs: [['x', DT.FLOAT, [n, n]]],
    outputs: [['y', DT.FLOAT, [n, n]]],
  });
}

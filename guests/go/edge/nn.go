package edge

// wasi:nn@0.2.0-rc-2024-10-28: tensors, graphs (models) and inference.

import "unsafe"

//go:wasmimport wasi:nn/tensor@0.2.0-rc-2024-10-28 [constructor]tensor
//go:noescape
func tensorNew(dims unsafe.Pointer, dimsLen uint32, ty uint32, data unsafe.Pointer, dataLen uint32) uint32

//go:wasmimport wasi:nn/tensor@0.2.0-rc-2024-10-28 [method]tensor.dimensions
//go:noescape
func tensorDimensions(this uint32, ret unsafe.Pointer)

//go:wasmimport wasi:nn/tensor@0.2.0-rc-2024-10-28 [method]tensor.ty
func tensorTy(this uint32) uint32

//go:wasmimport wasi:nn/tensor@0.2.0-rc-2024-10-28 [method]tensor.data
//go:noescape
func tensorData(this uint32, ret unsafe.Pointer)

//go:wasmimport wasi:nn/tensor@0.2.0-rc-2024-10-28 [resource-drop]tensor
func tensorDrop(this uint32)

//go:wasmimport wasi:nn/errors@0.2.0-rc-2024-10-28 [method]error.code
func errorCode(this uint32) uint32

//go:wasmimport wasi:nn/errors@0.2.0-rc-2024-10-28 [method]error.data
//go:noescape
func errorData(this uint32, ret unsafe.Pointer)

//go:wasmimport wasi:nn/errors@0.2.0-rc-2024-10-28 [resource-drop]error
func errorDrop(this uint32)

//go:wasmimport wasi:nn/inference@0.2.0-rc-2024-10-28 [method]graph-execution-context.compute
//go:noescape
func contextCompute(this uint32, inputs unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:nn/inference@0.2.0-rc-2024-10-28 [resource-drop]graph-execution-context
func contextDrop(this uint32)

//go:wasmimport wasi:nn/graph@0.2.0-rc-2024-10-28 [method]graph.init-execution-context
//go:noescape
func graphInitExecutionContext(this uint32, ret unsafe.Pointer)

//go:wasmimport wasi:nn/graph@0.2.0-rc-2024-10-28 load
//go:noescape
func graphLoad(builders unsafe.Pointer, n uint32, encoding uint32, target uint32, ret unsafe.Pointer)

//go:wasmimport wasi:nn/graph@0.2.0-rc-2024-10-28 load-by-name
//go:noescape
func graphLoadByName(name unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:nn/graph@0.2.0-rc-2024-10-28 [resource-drop]graph
func graphDrop(this uint32)

// TensorType is the element type of a tensor.
type TensorType uint8

const (
	Fp16 TensorType = iota
	Fp32
	Fp64
	Bf16
	U8
	I32
	I64
)

// wit-enum wasi:nn/tensor@0.2.0-rc-2024-10-28 tensor-type
var tensorTypeNames = [...]string{"FP16", "FP32", "FP64", "BF16", "U8", "I32", "I64"}

func (t TensorType) String() string { return enumName(tensorTypeNames[:], uint8(t)) }

// GraphEncoding is the format of model bytes given to Load.
type GraphEncoding uint8

const (
	Openvino GraphEncoding = iota
	Onnx
	Tensorflow
	Pytorch
	Tensorflowlite
	Ggml
	Autodetect
)

// wit-enum wasi:nn/graph@0.2.0-rc-2024-10-28 graph-encoding
var graphEncodingNames = [...]string{"openvino", "onnx", "tensorflow", "pytorch", "tensorflowlite", "ggml", "autodetect"}

func (e GraphEncoding) String() string { return enumName(graphEncodingNames[:], uint8(e)) }

// ExecutionTarget is where a graph runs.
type ExecutionTarget uint8

const (
	Cpu ExecutionTarget = iota
	Gpu
	Tpu
)

// wit-enum wasi:nn/graph@0.2.0-rc-2024-10-28 execution-target
var executionTargetNames = [...]string{"cpu", "gpu", "tpu"}

func (t ExecutionTarget) String() string { return enumName(executionTargetNames[:], uint8(t)) }

// NnErrorCode is the kind of an NnError.
type NnErrorCode uint8

const (
	NnInvalidArgument NnErrorCode = iota
	NnInvalidEncoding
	NnTimeout
	NnRuntimeError
	NnUnsupportedOperation
	NnTooLarge
	NnNotFound
	NnSecurity
	NnUnknown
)

// wit-enum wasi:nn/errors@0.2.0-rc-2024-10-28 error-code
var nnErrorCodeNames = [...]string{
	"invalid-argument", "invalid-encoding", "timeout", "runtime-error", "unsupported-operation",
	"too-large", "not-found", "security", "unknown",
}

func (c NnErrorCode) String() string { return enumName(nnErrorCodeNames[:], uint8(c)) }

// NnError is a wasi:nn error: its code and the host's message. (The WIT's error is a resource; its
// code and data are read at once and the handle dropped, so the error is a plain value.)
type NnError struct {
	Kind NnErrorCode
	Data string
}

func (e *NnError) Code() string  { return e.Kind.String() }
func (e *NnError) Error() string { return e.Kind.String() + ": " + e.Data }

// takeNnError takes over an own<error> handle (inside an allocBegin/allocEnd bracket).
func takeNnError(h uint32) *NnError {
	e := &NnError{Kind: NnErrorCode(errorCode(h))}
	var r retArea
	errorData(h, r.ptr())
	e.Data = r.string(0)
	errorDrop(h)
	return e
}

// handleResult reads result<own<T>, own<error>>: the handle at 4 either way.
func handleResult(r *retArea) (uint32, error) {
	if r.u8(0) != 0 {
		return 0, takeNnError(r.u32(4))
	}
	return r.u32(4), nil
}

// Tensor is a tensor held by the host.
type Tensor struct{ resource }

// NewTensor makes a tensor of dims and ty with data (row-major, little-endian; the byte length is
// checked at Compute, as the constructor cannot fail).
func NewTensor(dims []uint32, ty TensorType, data []byte) *Tensor {
	dp, dn := unsafe.Pointer(unsafe.SliceData(dims)), uint32(len(dims))
	p, n := bytesArg(data)
	t := &Tensor{own(tensorNew(dp, dn, uint32(ty), p, n))}
	keep(dims)
	keep(data)
	return t
}

func (t *Tensor) Dimensions() []uint32 {
	h, err := t.use()
	if err != nil {
		return nil
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	tensorDimensions(h, r.ptr())
	return copyU32s(r.list(0))
}

func (t *Tensor) Type() TensorType {
	h, err := t.use()
	if err != nil {
		return 0
	}
	return TensorType(tensorTy(h))
}

// Data copies the tensor's bytes into the guest.
func (t *Tensor) Data() []byte {
	h, err := t.use()
	if err != nil {
		return nil
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	tensorData(h, r.ptr())
	return r.bytes(0)
}

// DataF32 is the data of an FP32 tensor as float32s (nil for another type).
func (t *Tensor) DataF32() []float32 {
	if t.Type() != Fp32 {
		return nil
	}
	h, _ := t.use()
	var r retArea
	allocBegin()
	defer allocEnd()
	tensorData(h, r.ptr())
	// straight from the host's list into the float32s (wasm is little-endian, as the tensor data is)
	p, n := r.list(0)
	out := make([]float32, n/4)
	if len(out) > 0 {
		copy(out, unsafe.Slice((*float32)(guest(p)), len(out)))
	}
	return out
}

func (t *Tensor) Close() {
	if t.release() {
		tensorDrop(t.handle)
	}
}

// Graph is a loaded model.
type Graph struct{ resource }

// Load loads a model from bytes (builders: one or more byte slices, as the encoding needs).
func Load(builders [][]byte, encoding GraphEncoding, target ExecutionTarget) (*Graph, error) {
	lists := make([]uint32, 2*len(builders))
	for i, b := range builders {
		p, n := bytesArg(b)
		lists[2*i], lists[2*i+1] = addr(p), n
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	graphLoad(unsafe.Pointer(unsafe.SliceData(lists)), uint32(len(builders)), uint32(encoding), uint32(target), r.ptr())
	keep(lists)
	keep(builders)
	h, err := handleResult(&r)
	if err != nil {
		return nil, err
	}
	return &Graph{own(h)}, nil
}

// LoadByName loads a model the host has under that name (its configuration says which).
func LoadByName(name string) (*Graph, error) {
	var r retArea
	p, n := stringArg(name)
	allocBegin()
	defer allocEnd()
	graphLoadByName(p, n, r.ptr())
	keep(name)
	h, err := handleResult(&r)
	if err != nil {
		return nil, err
	}
	return &Graph{own(h)}, nil
}

func (g *Graph) InitExecutionContext() (*ExecutionContext, error) {
	h, err := g.use()
	if err != nil {
		return nil, err
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	graphInitExecutionContext(h, r.ptr())
	c, err := handleResult(&r)
	if err != nil {
		return nil, err
	}
	return &ExecutionContext{own(c)}, nil
}

func (g *Graph) Close() {
	if g.release() {
		graphDrop(g.handle)
	}
}

// NamedTensor is a named input or output.
type NamedTensor struct {
	Name   string
	Tensor *Tensor
}

// ExecutionContext is a session of a graph: it runs inference.
type ExecutionContext struct{ resource }

// Compute runs the model on named inputs, which it hands to the host (their tensors are closed);
// it returns every output, named by the model. Close the outputs' tensors when done.
func (c *ExecutionContext) Compute(inputs []NamedTensor) ([]NamedTensor, error) {
	h, err := c.use()
	if err != nil {
		return nil, err
	}
	// tuple<string, own<tensor>>: name (ptr, len), then the handle; 12 bytes
	for _, in := range inputs {
		if !in.Tensor.live {
			return nil, ErrClosed
		}
	}
	raw := make([]uint32, 3*len(inputs))
	for i, in := range inputs {
		t, _ := in.Tensor.take()
		p, n := stringArg(in.Name)
		raw[3*i], raw[3*i+1], raw[3*i+2] = addr(p), n, t
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	contextCompute(h, unsafe.Pointer(unsafe.SliceData(raw)), uint32(len(inputs)), r.ptr())
	keep(raw)
	keep(inputs)
	if r.u8(0) != 0 {
		return nil, takeNnError(r.u32(4))
	}
	ptr, n := r.list(4)
	out := make([]NamedTensor, n)
	for i := range out {
		e := guest(ptr + 12*uint32(i))
		out[i] = NamedTensor{Name: string(copyBytes(loadU32(e, 0), loadU32(e, 4))), Tensor: &Tensor{own(loadU32(e, 8))}}
	}
	return out, nil
}

func (c *ExecutionContext) Close() {
	if c.release() {
		contextDrop(c.handle)
	}
}

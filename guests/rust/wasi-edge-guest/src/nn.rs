//! `wasi:nn@0.2.0-rc-2024-10-28`: tensors, graphs (models) and inference.
use crate::abi::{self, resource, wit_enum, Ret};
use std::fmt;

#[link(wasm_import_module = "wasi:nn/tensor@0.2.0-rc-2024-10-28")]
extern "C" {
    #[link_name = "[constructor]tensor"]
    fn tensor_new(dims: *const u8, dims_len: usize, ty: i32, data: *const u8, data_len: usize) -> i32;
    #[link_name = "[method]tensor.dimensions"]
    fn tensor_dimensions(this: i32, ret: *mut u8);
    #[link_name = "[method]tensor.ty"]
    fn tensor_ty(this: i32) -> i32;
    #[link_name = "[method]tensor.data"]
    fn tensor_data(this: i32, ret: *mut u8);
    #[link_name = "[resource-drop]tensor"]
    fn tensor_drop(this: i32);
}

#[link(wasm_import_module = "wasi:nn/errors@0.2.0-rc-2024-10-28")]
extern "C" {
    #[link_name = "[method]error.code"]
    fn error_code(this: i32) -> i32;
    #[link_name = "[method]error.data"]
    fn error_data(this: i32, ret: *mut u8);
    #[link_name = "[resource-drop]error"]
    fn error_drop(this: i32);
}

#[link(wasm_import_module = "wasi:nn/inference@0.2.0-rc-2024-10-28")]
extern "C" {
    #[link_name = "[method]graph-execution-context.compute"]
    fn context_compute(this: i32, inputs: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[resource-drop]graph-execution-context"]
    fn context_drop(this: i32);
}

#[link(wasm_import_module = "wasi:nn/graph@0.2.0-rc-2024-10-28")]
extern "C" {
    #[link_name = "[method]graph.init-execution-context"]
    fn graph_init_execution_context(this: i32, ret: *mut u8);
    #[link_name = "load"]
    fn graph_load(builders: *const u8, len: usize, encoding: i32, target: i32, ret: *mut u8);
    #[link_name = "load-by-name"]
    fn graph_load_by_name(name: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[resource-drop]graph"]
    fn graph_drop(this: i32);
}

wit_enum! { "wasi:nn/tensor@0.2.0-rc-2024-10-28" "tensor-type"
    /// Element type of a tensor.
    pub enum TensorType {
        Fp16 = "FP16",
        Fp32 = "FP32",
        Fp64 = "FP64",
        Bf16 = "BF16",
        U8 = "U8",
        I32 = "I32",
        I64 = "I64",
    }
}

wit_enum! { "wasi:nn/graph@0.2.0-rc-2024-10-28" "graph-encoding"
    /// The format of model bytes given to `load`.
    pub enum GraphEncoding {
        Openvino = "openvino",
        Onnx = "onnx",
        Tensorflow = "tensorflow",
        Pytorch = "pytorch",
        Tensorflowlite = "tensorflowlite",
        Ggml = "ggml",
        Autodetect = "autodetect",
    }
}

wit_enum! { "wasi:nn/graph@0.2.0-rc-2024-10-28" "execution-target"
    /// Where a graph runs.
    pub enum ExecutionTarget {
        Cpu = "cpu",
        Gpu = "gpu",
        Tpu = "tpu",
    }
}

wit_enum! { "wasi:nn/errors@0.2.0-rc-2024-10-28" "error-code"
    /// The kind of an `Error`.
    pub enum ErrorCode {
        InvalidArgument = "invalid-argument",
        InvalidEncoding = "invalid-encoding",
        Timeout = "timeout",
        RuntimeError = "runtime-error",
        UnsupportedOperation = "unsupported-operation",
        TooLarge = "too-large",
        NotFound = "not-found",
        Security = "security",
        Unknown = "unknown",
    }
}

/// A wasi:nn error: its code and the host's message. (The WIT's `error` is a resource; its code
/// and data are read at once and the handle dropped, so the error is a plain value.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub data: String,
}

impl Error {
    /// Takes over an `own<error>` handle.
    unsafe fn from_handle(handle: i32) -> Self {
        let code = ErrorCode::from_abi(error_code(handle) as u8);
        let mut ret = Ret::<8>::new();
        error_data(handle, ret.ptr());
        let data = ret.string(0);
        error_drop(handle);
        Error { code, data }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.data)
    }
}
impl std::error::Error for Error {}

/// `result<own<T>, own<error>>`: the handle at 4 either way.
unsafe fn handle_result(ret: &Ret<8>) -> Result<i32, Error> {
    match ret.u8(0) {
        0 => Ok(ret.i32(4)),
        _ => Err(Error::from_handle(ret.i32(4))),
    }
}

resource!(
    /// A tensor held by the host.
    Tensor,
    tensor_drop
);

impl Tensor {
    /// A tensor of `dimensions` and `ty` with `data` (row-major, little-endian; the byte length is
    /// checked at `compute`, as the constructor cannot fail).
    pub fn new(dimensions: &[u32], ty: TensorType, data: &[u8]) -> Tensor {
        let (d, dn) = abi::slice(dimensions);
        unsafe { Tensor::from_handle(tensor_new(d, dn, ty as i32, data.as_ptr(), data.len())) }
    }

    pub fn dimensions(&self) -> Vec<u32> {
        let mut ret = Ret::<8>::new();
        unsafe {
            tensor_dimensions(self.handle, ret.ptr());
            let (p, n) = ret.list(0);
            abi::take_vec(p, n)
        }
    }

    pub fn ty(&self) -> TensorType {
        TensorType::from_abi(unsafe { tensor_ty(self.handle) } as u8)
    }

    /// Copies the data into the guest.
    pub fn data(&self) -> Vec<u8> {
        let mut ret = Ret::<8>::new();
        unsafe {
            tensor_data(self.handle, ret.ptr());
            ret.bytes(0)
        }
    }

    /// The data of an FP32 tensor as `f32`s (`None` for another type).
    pub fn data_f32(&self) -> Option<Vec<f32>> {
        if self.ty() != TensorType::Fp32 {
            return None;
        }
        Some(self.data().chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }
}

resource!(
    /// A loaded model.
    Graph,
    graph_drop
);

/// Loads a model from bytes (`builders`: one or more byte lists, as the encoding needs).
pub fn load(builders: &[&[u8]], encoding: GraphEncoding, target: ExecutionTarget) -> Result<Graph, Error> {
    let lists: Vec<[u32; 2]> = builders.iter().map(|b| [b.as_ptr() as u32, b.len() as u32]).collect();
    let (p, n) = abi::slice(&lists);
    let mut ret = Ret::<8>::new();
    unsafe {
        graph_load(p, n, encoding as i32, target as i32, ret.ptr());
        handle_result(&ret).map(|h| Graph::from_handle(h))
    }
}

/// Loads a model the host has under that name (configuration says which).
pub fn load_by_name(name: &str) -> Result<Graph, Error> {
    let mut ret = Ret::<8>::new();
    unsafe {
        graph_load_by_name(name.as_ptr(), name.len(), ret.ptr());
        handle_result(&ret).map(|h| Graph::from_handle(h))
    }
}

impl Graph {
    pub fn init_execution_context(&self) -> Result<ExecutionContext, Error> {
        let mut ret = Ret::<8>::new();
        unsafe {
            graph_init_execution_context(self.handle, ret.ptr());
            handle_result(&ret).map(|h| ExecutionContext::from_handle(h))
        }
    }
}

resource!(
    /// A session of a graph: runs inference.
    ExecutionContext,
    context_drop
);

/// A named input or output (`named-tensor`).
pub type NamedTensor = (String, Tensor);

impl ExecutionContext {
    /// Runs the model on named inputs (the tensors are handed to the host); returns every output,
    /// named by the model.
    pub fn compute(&self, inputs: Vec<(&str, Tensor)>) -> Result<Vec<NamedTensor>, Error> {
        // tuple<string, own<tensor>>: name (ptr, len), then the handle; 12 bytes
        let raw: Vec<[u32; 3]> = inputs
            .into_iter()
            .map(|(name, t)| [name.as_ptr() as u32, name.len() as u32, t.into_handle() as u32])
            .collect();
        let (p, n) = abi::slice(&raw);
        let mut ret = Ret::<12>::new();
        unsafe {
            context_compute(self.handle, p, n, ret.ptr());
            if ret.u8(0) != 0 {
                return Err(Error::from_handle(ret.i32(4)));
            }
            let (p, n) = ret.list(4);
            Ok(abi::take_records(p, n, 12, 4, |e| {
                let name = abi::take_string(abi::load::<u32>(e, 0) as usize as *mut u8, abi::load::<u32>(e, 4) as usize);
                (name, Tensor::from_handle(abi::load(e, 8)))
            }))
        }
    }
}

//! `wasi:buffer-pool` (unversioned HEAD): pools that a sensor fills with frames, and the frame data
//! types (`data-types`).
use crate::abi::{self, load, resource, wit_enum, Ret};
use crate::poll::Pollable;

#[link(wasm_import_module = "wasi:buffer-pool/buffer-pool")]
extern "C" {
    #[link_name = "[static]pool.create"]
    fn pool_create(mode: i32, size: u32, buffer_num: u32, name: *const u8, name_len: usize, ret: *mut u8);
    #[link_name = "[method]pool.read-frames"]
    fn pool_read_frames(this: i32, max_results: u32, ret: *mut u8);
    #[link_name = "[method]pool.subscribe"]
    fn pool_subscribe(this: i32) -> i32;
    #[link_name = "[method]pool.get-statistics"]
    fn pool_get_statistics(this: i32, ret: *mut u8);
    #[link_name = "[resource-drop]pool"]
    fn pool_drop(this: i32);
    #[link_name = "[method]memory.address"]
    fn memory_address(this: i32) -> u64;
    #[link_name = "[method]memory.size"]
    fn memory_size(this: i32) -> u32;
    #[link_name = "[method]memory.invalidate"]
    fn memory_invalidate(this: i32, ret: *mut u8);
    #[link_name = "[resource-drop]memory"]
    fn memory_drop(this: i32);
}

wit_enum! { "wasi:buffer-pool/buffer-pool" "buffer-error"
    /// Why a pool call failed (wasi:sensor's `device-error` has the same cases).
    pub enum BufferError {
        NotFound = "not-found",
        InvalidArgument = "invalid-argument",
        ResourceExhausted = "resource-exhausted",
        PermissionDenied = "permission-denied",
        Busy = "busy",
        Timeout = "timeout",
        Cancelled = "cancelled",
        Aborted = "aborted",
        AlreadyExists = "already-exists",
        InvalidOperation = "invalid-operation",
        OutOfRange = "out-of-range",
        DataLoss = "data-loss",
        HardwareError = "hardware-error",
        NotSupported = "not-supported",
        Unknown = "unknown",
    }
}
impl std::error::Error for BufferError {}

wit_enum! { "wasi:buffer-pool/buffer-pool" "buffering-mode"
    /// What a full pool does with a new frame.
    pub enum BufferingMode {
        /// Keeps only the newest frame.
        Off = "buffering-off",
        /// Keeps the oldest `buffer-num` frames, drops new ones.
        Discard = "buffering-discard",
        /// Keeps the newest `buffer-num` frames (a ring).
        Overwrite = "buffering-overwrite",
        /// Keeps every frame, up to the host's byte limit.
        Unlimited = "buffering-unlimited",
    }
}

wit_enum! { "wasi:buffer-pool/data-types" "pixel-format"
    /// How a frame's pixels are laid out.
    pub enum PixelFormat {
        Gray = "gray",
        Rgb24 = "rgb24",
        Bgr24 = "bgr24",
        Argb32 = "argb32",
        Abgr32 = "abgr32",
        Yuy2 = "yuy2",
        Mjpeg = "mjpeg",
    }
}

/// A frame's geometry; `stride_bytes` 0 means packed (and is what compressed formats report).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dimension {
    pub width: u32,
    pub height: u32,
    pub stride_bytes: u32,
    pub pixel_format: PixelFormat,
}

impl Dimension {
    /// Reads the record (16 bytes: width, height, stride, format) at `p`.
    pub(crate) unsafe fn lift(p: *const u8) -> Self {
        Dimension {
            width: load(p, 0),
            height: load(p, 4),
            stride_bytes: load(p, 8),
            pixel_format: PixelFormat::from_abi(load(p, 12)),
        }
    }
}

/// A by-value image: the pixels copied into guest memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    pub dimension: Dimension,
    pub payload: Vec<u8>,
}

/// What a frame entry carries by value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataType {
    Image(Image),
}

resource!(
    /// A frame buffer that stays in the host (`host-memory` frames). Dropping it returns the
    /// buffer to its pool; `wasi_edge_guest::vision::Image::from_frame` takes it over instead.
    Memory,
    memory_drop
);

impl Memory {
    /// An opaque non-zero id of the buffer in this host (not a guest address).
    pub fn address(&self) -> u64 {
        unsafe { memory_address(self.handle) }
    }
    /// Payload bytes.
    pub fn size(&self) -> u32 {
        unsafe { memory_size(self.handle) }
    }
    /// Returns the buffer to the pool now (the handle stays, but is stale).
    pub fn invalidate(&self) -> Result<(), BufferError> {
        let mut ret = Ret::<2>::new();
        unsafe { memory_invalidate(self.handle, ret.ptr()) };
        unit_result(&ret)
    }
}

/// One entry of a frame.
#[derive(Debug)]
pub enum FrameData {
    ByValue(DataType),
    HostMemory(Memory),
}

impl FrameData {
    /// Reads one 32-byte `frame-data` at `p` and takes over what it owns.
    unsafe fn lift(p: *const u8) -> Self {
        if load::<u8>(p, 0) == 1 {
            return FrameData::HostMemory(Memory::from_handle(load(p, 4)));
        }
        // by-value: data-type tag at 4 (image is its only case), the image record at 8
        let payload = abi::take_vec(load::<u32>(p, 24) as usize as *mut u8, load::<u32>(p, 28) as usize);
        FrameData::ByValue(DataType::Image(Image { dimension: Dimension::lift(p.add(8)), payload }))
    }
}

/// A frame read from a pool. Dropping it (and every `Memory` it holds) returns its buffers.
#[derive(Debug)]
pub struct FrameInfo {
    pub sequence_number: u64,
    /// Nanoseconds since a fixed point in the past.
    pub timestamp: u64,
    pub data: Vec<FrameData>,
}

/// Counters of a pool: frames offered, dropped because it was full, and read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolStatistics {
    pub enqueued: u64,
    pub dropped: u64,
    pub dequeued: u64,
}

resource!(
    /// A named pool that a sensor (`Device::start(name)`) fills with frames.
    Pool,
    pool_drop
);

impl Pool {
    /// Creates a pool: `size` bounds one frame's payload in bytes (0 = any), `buffer_num` the
    /// frames a discard or overwrite pool holds. A name ending in `-hm` gets host-memory frames on
    /// this host (docs/spec-notes/sensor.md).
    pub fn create(mode: BufferingMode, size: u32, buffer_num: u32, name: &str) -> Result<Pool, BufferError> {
        let mut ret = Ret::<8>::new();
        unsafe {
            pool_create(mode as i32, size, buffer_num, name.as_ptr(), name.len(), ret.ptr());
            match ret.u8(0) {
                0 => Ok(Pool::from_handle(ret.i32(4))),
                _ => Err(BufferError::from_abi(ret.u8(4))),
            }
        }
    }

    /// Up to `max_results` frames that are ready now, oldest first; never waits.
    pub fn read_frames(&self, max_results: u32) -> Result<Vec<FrameInfo>, BufferError> {
        let mut ret = Ret::<12>::new();
        unsafe {
            pool_read_frames(self.handle, max_results, ret.ptr());
            if ret.u8(0) != 0 {
                return Err(BufferError::from_abi(ret.u8(4)));
            }
            let (p, n) = ret.list(4);
            Ok(abi::take_records(p, n, 24, 8, |f| {
                let (d, m) = (load::<u32>(f, 16) as usize as *mut u8, load::<u32>(f, 20) as usize);
                FrameInfo {
                    sequence_number: load(f, 0),
                    timestamp: load(f, 8),
                    data: abi::take_records(d, m, 32, 4, |e| FrameData::lift(e)),
                }
            }))
        }
    }

    /// Ready when a frame can be read.
    pub fn subscribe(&self) -> Pollable {
        unsafe { Pollable::from_handle(pool_subscribe(self.handle)) }
    }

    pub fn statistics(&self) -> Result<PoolStatistics, BufferError> {
        let mut ret = Ret::<32>::new();
        unsafe { pool_get_statistics(self.handle, ret.ptr()) };
        match ret.u8(0) {
            0 => Ok(PoolStatistics { enqueued: ret.u64(8), dropped: ret.u64(16), dequeued: ret.u64(24) }),
            _ => Err(BufferError::from_abi(ret.u8(8))),
        }
    }
}

/// `result<_, buffer-error>` / `result<_, device-error>`: tag, then the error ordinal.
pub(crate) fn unit_result<const N: usize>(ret: &Ret<N>) -> Result<(), BufferError> {
    match ret.u8(0) {
        0 => Ok(()),
        _ => Err(BufferError::from_abi(ret.u8(1))),
    }
}

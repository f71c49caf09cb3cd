//! `wasi:i2c@0.2.0-draft`: an I2C bus (get one with `access::open_i2c`) and a delay.
use crate::abi::{self, load, resource, wit_enum, Ret, Variant16};
use std::fmt;

#[link(wasm_import_module = "wasi:i2c/i2c@0.2.0-draft")]
extern "C" {
    #[link_name = "[method]i2c.transaction"]
    fn i2c_transaction(this: i32, address: i32, ops: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]i2c.read"]
    fn i2c_read(this: i32, address: i32, len: u64, ret: *mut u8);
    #[link_name = "[method]i2c.write"]
    fn i2c_write(this: i32, address: i32, data: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]i2c.write-read"]
    fn i2c_write_read(this: i32, address: i32, data: *const u8, len: usize, read_len: u64, ret: *mut u8);
    #[link_name = "[resource-drop]i2c"]
    fn i2c_drop(this: i32);
}

#[link(wasm_import_module = "wasi:i2c/delay@0.2.0-draft")]
extern "C" {
    #[link_name = "[method]delay.delay-ns"]
    fn delay_delay_ns(this: i32, ns: u32);
    #[link_name = "[resource-drop]delay"]
    fn delay_drop(this: i32);
}

/// A 7-bit address (10-bit on a bus configured for it).
pub type Address = u16;

wit_enum! { "wasi:i2c/i2c@0.2.0-draft" "no-acknowledge-source"
    /// What was not acknowledged.
    pub enum NoAcknowledgeSource {
        Address = "address",
        Data = "data",
        Unknown = "unknown",
    }
}

/// Why a bus call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    Bus,
    ArbitrationLoss,
    /// No device answered (`Address`), or it refused a byte (`Data`).
    NoAcknowledge(NoAcknowledgeSource),
    Overrun,
    /// Everything else; on this host also an address the guest is not granted.
    Other,
}

impl ErrorCode {
    /// `error-code` at `at` (its tag, then the source at `at + 1`).
    fn lift<const N: usize>(ret: &Ret<N>, at: usize) -> Self {
        match ret.u8(at) {
            0 => ErrorCode::Bus,
            1 => ErrorCode::ArbitrationLoss,
            2 => ErrorCode::NoAcknowledge(NoAcknowledgeSource::from_abi(ret.u8(at + 1))),
            3 => ErrorCode::Overrun,
            _ => ErrorCode::Other,
        }
    }
}

impl fmt::Display for ErrorCode {
    /// The WIT names: `no-acknowledge(address)`, `bus`, …
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Bus => f.write_str("bus"),
            ErrorCode::ArbitrationLoss => f.write_str("arbitration-loss"),
            ErrorCode::NoAcknowledge(s) => write!(f, "no-acknowledge({s})"),
            ErrorCode::Overrun => f.write_str("overrun"),
            ErrorCode::Other => f.write_str("other"),
        }
    }
}
impl std::error::Error for ErrorCode {}

/// One step of a `transaction`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation<'a> {
    Read(u64),
    Write(&'a [u8]),
}

/// `result<list<u8>, error-code>` from a return area.
unsafe fn bytes_result(ret: &Ret<12>) -> Result<Vec<u8>, ErrorCode> {
    match ret.u8(0) {
        0 => Ok(ret.bytes(4)),
        _ => Err(ErrorCode::lift(ret, 4)),
    }
}

resource!(
    /// An open I2C bus.
    I2c,
    i2c_drop
);

impl I2c {
    /// Runs the operations as one transaction (repeated starts, one stop); returns one list per
    /// `Read`, in order (docs/spec-notes/i2c.md).
    pub fn transaction(&self, address: Address, operations: &[Operation<'_>]) -> Result<Vec<Vec<u8>>, ErrorCode> {
        let raw: Vec<Variant16> = operations
            .iter()
            .map(|op| match *op {
                Operation::Read(n) => Variant16::u64(0, n),
                Operation::Write(d) => Variant16::list(1, d),
            })
            .collect();
        let (p, n) = abi::slice(&raw);
        let mut ret = Ret::<12>::new();
        unsafe {
            i2c_transaction(self.handle, address as i32, p, n, ret.ptr());
            if ret.u8(0) != 0 {
                return Err(ErrorCode::lift(&ret, 4));
            }
            let (p, n) = ret.list(4);
            Ok(abi::take_records(p, n, 8, 4, |e| {
                abi::take_vec(load::<u32>(e, 0) as usize as *mut u8, load::<u32>(e, 4) as usize)
            }))
        }
    }

    pub fn read(&self, address: Address, len: u64) -> Result<Vec<u8>, ErrorCode> {
        let mut ret = Ret::<12>::new();
        unsafe {
            i2c_read(self.handle, address as i32, len, ret.ptr());
            bytes_result(&ret)
        }
    }

    pub fn write(&self, address: Address, data: &[u8]) -> Result<(), ErrorCode> {
        let mut ret = Ret::<3>::new();
        unsafe { i2c_write(self.handle, address as i32, data.as_ptr(), data.len(), ret.ptr()) };
        match ret.u8(0) {
            0 => Ok(()),
            _ => Err(ErrorCode::lift(&ret, 1)),
        }
    }

    /// Writes, then reads `read_len` bytes after a repeated start (register reads).
    pub fn write_read(&self, address: Address, write: &[u8], read_len: u64) -> Result<Vec<u8>, ErrorCode> {
        let mut ret = Ret::<12>::new();
        unsafe {
            i2c_write_read(self.handle, address as i32, write.as_ptr(), write.len(), read_len, ret.ptr());
            bytes_result(&ret)
        }
    }
}

resource!(
    /// Waits without spinning (`access::get_delay`).
    Delay,
    delay_drop
);

impl Delay {
    /// Pauses for at least `ns` nanoseconds.
    pub fn delay_ns(&self, ns: u32) {
        unsafe { delay_delay_ns(self.handle, ns) }
    }
}

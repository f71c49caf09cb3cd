//! `wasi:spi` (unversioned, upstream a4797e2): SPI devices, opened by name. Clock, mode and bit
//! order are the host's configuration, not the guest's.
use crate::abi::{self, load, resource, Ret, Variant16};
use std::fmt;

#[link(wasm_import_module = "wasi:spi/spi")]
extern "C" {
    #[link_name = "open"]
    fn spi_open(name: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]spi-device.read"]
    fn spi_read(this: i32, len: u64, ret: *mut u8);
    #[link_name = "[method]spi-device.write"]
    fn spi_write(this: i32, data: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]spi-device.transfer"]
    fn spi_transfer(this: i32, data: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]spi-device.transaction"]
    fn spi_transaction(this: i32, ops: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[resource-drop]spi-device"]
    fn spi_device_drop(this: i32);
}

/// Why an SPI call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    Overrun,
    ModeFault,
    FrameFormat,
    ChipSelectFault,
    /// Everything else (an unknown or ungranted device, a length over the host's limit), with a
    /// message for people.
    Other(String),
}

impl Error {
    /// `error` at offset 4 of a result's return area: its tag, the message at 8.
    unsafe fn lift(ret: &Ret<16>) -> Self {
        match ret.u8(4) {
            0 => Error::Overrun,
            1 => Error::ModeFault,
            2 => Error::FrameFormat,
            3 => Error::ChipSelectFault,
            _ => Error::Other(ret.string(8)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Overrun => f.write_str("overrun"),
            Error::ModeFault => f.write_str("mode-fault"),
            Error::FrameFormat => f.write_str("frame-format"),
            Error::ChipSelectFault => f.write_str("chip-select-fault"),
            Error::Other(m) => write!(f, "other: {m}"),
        }
    }
}
impl std::error::Error for Error {}

/// One step of a `transaction`; chip select stays asserted across all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation<'a> {
    Read(u64),
    Write(&'a [u8]),
    /// Full duplex: as many bytes are read as are written.
    Transfer(&'a [u8]),
    DelayNs(u32),
}

/// One entry per operation, in the same order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperationResult {
    Read(Vec<u8>),
    Write,
    Transfer(Vec<u8>),
    Delay,
}

/// `result<_, error>` from a return area.
unsafe fn unit_result(ret: &Ret<16>) -> Result<(), Error> {
    match ret.u8(0) {
        0 => Ok(()),
        _ => Err(Error::lift(ret)),
    }
}

/// `result<list<u8>, error>` from a return area.
unsafe fn bytes_result(ret: &Ret<16>) -> Result<Vec<u8>, Error> {
    match ret.u8(0) {
        0 => Ok(ret.bytes(4)),
        _ => Err(Error::lift(ret)),
    }
}

/// Opens a device by name (the names are the host's configuration).
pub fn open(name: &str) -> Result<SpiDevice, Error> {
    let mut ret = Ret::<16>::new();
    unsafe {
        spi_open(name.as_ptr(), name.len(), ret.ptr());
        match ret.u8(0) {
            0 => Ok(SpiDevice::from_handle(ret.i32(4))),
            _ => Err(Error::lift(&ret)),
        }
    }
}

resource!(
    /// An open SPI device (a chip select on a bus).
    SpiDevice,
    spi_device_drop
);

impl SpiDevice {
    pub fn read(&self, len: u64) -> Result<Vec<u8>, Error> {
        let mut ret = Ret::<16>::new();
        unsafe {
            spi_read(self.handle, len, ret.ptr());
            bytes_result(&ret)
        }
    }

    pub fn write(&self, data: &[u8]) -> Result<(), Error> {
        let mut ret = Ret::<16>::new();
        unsafe {
            spi_write(self.handle, data.as_ptr(), data.len(), ret.ptr());
            unit_result(&ret)
        }
    }

    /// Full duplex: writes `data` and returns as many bytes read.
    pub fn transfer(&self, data: &[u8]) -> Result<Vec<u8>, Error> {
        let mut ret = Ret::<16>::new();
        unsafe {
            spi_transfer(self.handle, data.as_ptr(), data.len(), ret.ptr());
            bytes_result(&ret)
        }
    }

    /// Runs the operations with chip select held; one result per operation.
    pub fn transaction(&self, operations: &[Operation<'_>]) -> Result<Vec<OperationResult>, Error> {
        let raw: Vec<Variant16> = operations
            .iter()
            .map(|op| match *op {
                Operation::Read(n) => Variant16::u64(0, n),
                Operation::Write(d) => Variant16::list(1, d),
                Operation::Transfer(d) => Variant16::list(2, d),
                Operation::DelayNs(ns) => Variant16::u32(3, ns),
            })
            .collect();
        let (p, n) = abi::slice(&raw);
        let mut ret = Ret::<16>::new();
        unsafe {
            spi_transaction(self.handle, p, n, ret.ptr());
            if ret.u8(0) != 0 {
                return Err(Error::lift(&ret));
            }
            let (p, n) = ret.list(4);
            Ok(abi::take_records(p, n, 12, 4, |e| {
                let bytes = || abi::take_vec(load::<u32>(e, 4) as usize as *mut u8, load::<u32>(e, 8) as usize);
                match load::<u8>(e, 0) {
                    0 => OperationResult::Read(bytes()),
                    1 => OperationResult::Write,
                    2 => OperationResult::Transfer(bytes()),
                    _ => OperationResult::Delay,
                }
            }))
        }
    }
}

//! `wasi-edge:host/access@0.1.0`: how a guest gets the I2C buses and the delay that wasi:i2c gives
//! no way to obtain (wit/edge.wit).
use crate::abi::{self, Ret};
use crate::i2c::{Delay, I2c};
use std::fmt;

#[link(wasm_import_module = "wasi-edge:host/access@0.1.0")]
extern "C" {
    #[link_name = "list-i2c-buses"]
    fn access_list_i2c_buses(ret: *mut u8);
    #[link_name = "open-i2c"]
    fn access_open_i2c(name: *const u8, len: usize, ret: *mut u8);
    #[link_name = "get-delay"]
    fn access_get_delay() -> i32;
}

/// Why a bus could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccessError {
    /// No bus with that name is configured.
    NotFound,
    /// The bus exists but this guest is not granted it.
    PermissionDenied,
    /// The bus is configured but could not be opened; the message says why.
    Unavailable(String),
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessError::NotFound => f.write_str("not-found"),
            AccessError::PermissionDenied => f.write_str("permission-denied"),
            AccessError::Unavailable(m) => write!(f, "unavailable: {m}"),
        }
    }
}
impl std::error::Error for AccessError {}

/// Names of the I2C buses this guest may open.
pub fn list_i2c_buses() -> Vec<String> {
    let mut ret = Ret::<8>::new();
    unsafe {
        access_list_i2c_buses(ret.ptr());
        let (p, n) = ret.list(0);
        abi::take_strings(p, n)
    }
}

/// Opens a configured I2C bus by name; each call gives a new handle.
pub fn open_i2c(name: &str) -> Result<I2c, AccessError> {
    let mut ret = Ret::<16>::new();
    unsafe {
        access_open_i2c(name.as_ptr(), name.len(), ret.ptr());
        if ret.u8(0) == 0 {
            return Ok(I2c::from_handle(ret.i32(4)));
        }
        Err(match ret.u8(4) {
            0 => AccessError::NotFound,
            1 => AccessError::PermissionDenied,
            _ => AccessError::Unavailable(ret.string(8)),
        })
    }
}

/// A delay provider.
pub fn get_delay() -> Delay {
    unsafe { Delay::from_handle(access_get_delay()) }
}

//! Safe bindings for the edge interfaces that wasi-edge-host provides (world `edge-imports` in
//! wit/edge.wit), for guests built for `wasm32-wasip1` and made components with the preview1
//! adapter (guests/rust/build.mjs; docs/guests/rust.md).
//!
//! - resources are types whose `Drop` releases the host's handle;
//! - every WIT error is an error type (an enum, or a struct for wasi:nn's error resource) in a
//!   `Result`, never a panic;
//! - lists and strings go in as borrowed slices and come back as owned `Vec`s and `String`s.
//!
//! The canonical-ABI glue is written by hand (`abi.rs`; no wit-bindgen offline). The import names
//! and core signatures of every `extern` block, and the cases of every WIT enum, are checked
//! against `wit/` by test/guests/rust-bindings.test.ts in `npm test`.
mod abi;
pub mod access;
pub mod buffer_pool;
pub mod i2c;
pub mod nn;
pub mod poll;
pub mod sensor;
pub mod spi;
pub mod vision;
#[cfg(feature = "start")]
mod start;

pub use abi::cabi_realloc;

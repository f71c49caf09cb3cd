//! The entry point of a command guest, linked instead of wasi-libc's `crt1-command.o` (the
//! workspace's .cargo/config.toml leaves that out).
//!
//! Why: when nothing calls `__wasm_call_ctors` itself, wasm-ld wraps EVERY export of a command in
//! `__wasm_call_ctors` / `__wasm_call_dtors`, not only `_start` — `cabi_realloc` too. Debian's
//! wasi-libc (2022) `_start` leaves that call to the wrapper. Rust's std links wasi-libc's preopen
//! table as soon as the program touches `std::fs`, and registering the preopens is a constructor:
//! so each list the host returned re-registered every preopen (a dozen wasi:filesystem calls per
//! host call, and a table that grew each time). Calling the constructors here, once, is the
//! explicit call that turns the wrapping off, as newer wasi-libc's own `_start` does.
//! The C guests do the same (guests/c/include/start.c).
extern "C" {
    fn __wasm_call_ctors();
    fn __wasm_call_dtors();
    /// wasi-libc's: gets argv from WASI and calls `main` (the one rustc generates).
    fn __original_main() -> i32;
    fn exit(status: i32) -> !;
}

#[no_mangle]
pub unsafe extern "C" fn _start() {
    __wasm_call_ctors();
    let status = __original_main();
    // As crt1-command.o: a failing main leaves through exit (atexit handlers, stdio flush).
    if status != 0 {
        exit(status);
    }
    __wasm_call_dtors();
}

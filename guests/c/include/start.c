// The entry point of our C command guests, linked instead of wasi-libc's crt1-command.o
// (guests/build.mjs passes -nostartfiles for commands).
//
// Why: when no input calls __wasm_call_ctors itself, wasm-ld wraps EVERY export of a command in
// __wasm_call_ctors / __wasm_call_dtors, not only _start (LLVM D81689). Debian's wasi-libc
// (2022) crt1-command.o leaves the call to that wrapper, so each time the host placed a returned
// list in guest memory through `cabi_realloc`, the guest ran all its constructors again:
// wasi-libc re-registered every preopen (a dozen wasi:filesystem calls per frame, a table that grew
// on every call) and flushed stdio. With one preopen that halved by-value frame throughput; with
// eight it cost 3 ms per frame. Calling the constructors here, once, is the explicit call that
// turns the wrapping off, as newer wasi-libc's own _start does.
extern void __wasm_call_ctors(void);
extern void __wasm_call_dtors(void);
extern int __original_main(void);
extern _Noreturn void exit(int status);

__attribute__((export_name("_start"))) void _start(void) {
  __wasm_call_ctors();
  int status = __original_main();
  // As crt1-command.o: a failing main leaves through exit (which runs atexit handlers and flushes
  // stdio); a successful one returns, after the destructors the wrapper used to run.
  if (status != 0) exit(status);
  __wasm_call_dtors();
}

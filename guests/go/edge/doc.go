// Package edge binds the edge interfaces that wasi-edge-host provides (world edge-imports in
// wit/edge.wit) for Go guests built with GOOS=wasip1 GOARCH=wasm and made components with the
// preview1 adapter (guests/go/build.mjs; docs/guests/go.md):
//
//   - wasi:sensor and wasi:buffer-pool: Device, Pool, FrameInfo, Memory;
//   - wasi:i2c (with wasi-edge:host/access to open a bus): I2c, Delay;
//   - wasi:spi: SpiDevice;
//   - wasi:nn: Tensor, Graph, ExecutionContext;
//   - wasi:vision: Image.
//
// Resources are types with a Close method that releases the host's handle (calling it twice is a
// no-op; an Image or a Tensor handed to the host is closed by the call that takes it). Every WIT
// error comes back as a Go error value whose Code method gives the WIT case name
// ("no-acknowledge", "not-found", ...); nothing in this package panics on a host error. Lists and
// strings go in as borrowed slices and come back as Go-owned copies.
//
// The canonical-ABI glue is written by hand over //go:wasmimport (there is no wit-bindgen for Go
// here). The import names and core signatures, and the cases of every WIT enum declared here, are
// checked against wit/ by test/guests/go-bindings.test.ts in npm test.
package edge

// CodedError is implemented by every error this package returns.
type CodedError interface {
	error
	// Code is the WIT case of the error: "no-acknowledge", "not-found", "invalid-encoding", ...
	Code() string
}

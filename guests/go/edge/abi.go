package edge

// The canonical ABI on wasm32, the part every binding shares. Layout rules: handles, enums, u32,
// pointers and lengths are one i32; u64 is one i64; a list is (ptr, len); a result or variant is a
// u8 tag followed by its payload at the payload's alignment. Results too large for one core value
// are written by the host to a return area whose address the caller passes last.
//
// Lists and strings the host returns are placed with cabi_realloc, which Go cannot export: it
// comes from alloc.wat, merged into the module at build time. Every call that can return one is
// bracketed by allocBegin/allocEnd, and everything it returned is copied into Go memory before
// allocEnd, which lets the allocator reuse its arena (see alloc.wat).

import (
	"runtime"
	"unsafe"
)

//go:wasmimport wasi-edge-alloc begin
func allocBegin()

//go:wasmimport wasi-edge-alloc end
func allocEnd()

// retArea is a return area: 32 bytes, 8-aligned (the widest payload is a u64).
type retArea [4]uint64

func (r *retArea) ptr() unsafe.Pointer { return unsafe.Pointer(r) }

func (r *retArea) u8(at uintptr) uint8 { return *(*uint8)(unsafe.Add(unsafe.Pointer(r), at)) }

func (r *retArea) u32(at uintptr) uint32 { return *(*uint32)(unsafe.Add(unsafe.Pointer(r), at)) }

func (r *retArea) u64(at uintptr) uint64 { return *(*uint64)(unsafe.Add(unsafe.Pointer(r), at)) }

// list is the (ptr, len) of a list at at.
func (r *retArea) list(at uintptr) (uint32, uint32) { return r.u32(at), r.u32(at + 4) }

func (r *retArea) bytes(at uintptr) []byte { return copyBytes(r.list(at)) }

func (r *retArea) string(at uintptr) string { return string(copyBytes(r.list(at))) }

// guest is the address of guest memory the host wrote (a list it returned).
func guest(addr uint32) unsafe.Pointer { return unsafe.Add(unsafe.Pointer(nil), uintptr(addr)) }

func loadU8(p unsafe.Pointer, at uintptr) uint8   { return *(*uint8)(unsafe.Add(p, at)) }
func loadU32(p unsafe.Pointer, at uintptr) uint32 { return *(*uint32)(unsafe.Add(p, at)) }
func loadU64(p unsafe.Pointer, at uintptr) uint64 { return *(*uint64)(unsafe.Add(p, at)) }

// copyBytes copies a list<u8> the host placed into a Go slice.
func copyBytes(ptr, n uint32) []byte {
	if n == 0 {
		return []byte{}
	}
	out := make([]byte, n)
	copy(out, unsafe.Slice((*byte)(guest(ptr)), n))
	return out
}

// copyU32s copies a list<u32>.
func copyU32s(ptr, n uint32) []uint32 {
	out := make([]uint32, n)
	if n > 0 {
		copy(out, unsafe.Slice((*uint32)(guest(ptr)), n))
	}
	return out
}

// copyStrings copies a list<string> (8-byte elements: ptr, len).
func copyStrings(ptr, n uint32) []string {
	out := make([]string, n)
	for i := range out {
		e := guest(ptr + 8*uint32(i))
		out[i] = string(copyBytes(loadU32(e, 0), loadU32(e, 4)))
	}
	return out
}

// bytesArg is a borrowed list<u8> for the host: (ptr, len). The caller keeps b alive over the call.
func bytesArg(b []byte) (unsafe.Pointer, uint32) {
	return unsafe.Pointer(unsafe.SliceData(b)), uint32(len(b))
}

func stringArg(s string) (unsafe.Pointer, uint32) {
	return unsafe.Pointer(unsafe.StringData(s)), uint32(len(s))
}

// addr is the 32-bit guest address of Go memory, for lists inside lists.
func addr(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

// variant16 is a 16-byte variant case as the host reads it from a list the guest passes (i2c's and
// spi's operation): the tag in the first 8 bytes, the payload at 8.
type variant16 struct {
	tag  uint64
	a, b uint32
}

func variantU64(tag uint8, v uint64) variant16 {
	return variant16{tag: uint64(tag), a: uint32(v), b: uint32(v >> 32)}
}

func variantList(tag uint8, b []byte) variant16 {
	p, n := bytesArg(b)
	return variant16{tag: uint64(tag), a: addr(p), b: n}
}

// resource is an owned handle; Close releases it once.
type resource struct {
	handle uint32
	live   bool
}

func own(h uint32) resource { return resource{handle: h, live: true} }

// release marks the handle closed and says whether it was open.
func (r *resource) release() bool {
	if !r.live {
		return false
	}
	r.live = false
	return true
}

// take gives the handle up (to an import that takes ownership); a closed resource gives false.
func (r *resource) take() (uint32, bool) {
	h := r.handle
	return h, r.release()
}

var keep = runtime.KeepAlive

// ErrClosed is returned by a method called on a resource after Close (or after a call took it).
var ErrClosed = closedError{}

type closedError struct{}

func (closedError) Error() string { return "edge: use of a closed resource" }
func (closedError) Code() string  { return "closed" }

// use is the handle of an open resource, or ErrClosed.
func (r *resource) use() (uint32, error) {
	if !r.live {
		return 0, ErrClosed
	}
	return r.handle, nil
}

// enumName is the WIT name of an enum case (names in WIT order, so the index is the ordinal).
func enumName(names []string, v uint8) string {
	if int(v) < len(names) {
		return names[v]
	}
	return "unknown-case"
}

package edge

// wasi:io/poll@0.2.0: the pollable a buffer pool hands out (Pool.Subscribe).

import "unsafe"

//go:wasmimport wasi:io/poll@0.2.0 [method]pollable.ready
func pollableReady(this uint32) uint32

//go:wasmimport wasi:io/poll@0.2.0 [method]pollable.block
func pollableBlock(this uint32)

//go:wasmimport wasi:io/poll@0.2.0 poll
//go:noescape
func pollList(list unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:io/poll@0.2.0 [resource-drop]pollable
func pollableDrop(this uint32)

// Pollable becomes ready (a pool with a frame to read).
type Pollable struct{ resource }

// Ready says whether it is ready now; it never waits.
func (p *Pollable) Ready() bool {
	h, err := p.use()
	return err == nil && pollableReady(h) != 0
}

// Block waits until it is ready. The host ends a guest that waits for something that can never
// come (docs/spec-notes.md, "A wait that can never end").
func (p *Pollable) Block() {
	if h, err := p.use(); err == nil {
		pollableBlock(h)
	}
}

func (p *Pollable) Close() {
	if p.release() {
		pollableDrop(p.handle)
	}
}

// Poll waits until at least one of the pollables is ready; it returns the indices of the ready ones.
func Poll(pollables ...*Pollable) ([]uint32, error) {
	handles := make([]uint32, len(pollables))
	for i, p := range pollables {
		h, err := p.use()
		if err != nil {
			return nil, err
		}
		handles[i] = h
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	pollList(unsafe.Pointer(unsafe.SliceData(handles)), uint32(len(handles)), r.ptr())
	keep(handles)
	return copyU32s(r.list(0)), nil
}

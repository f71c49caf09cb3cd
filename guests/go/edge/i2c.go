package edge

// wasi:i2c@0.2.0-draft: an I2C bus (OpenI2c gets one) and a delay; and
// wasi-edge:host/access@0.1.0, how a guest gets the buses and the delay that wasi:i2c gives no way
// to obtain (wit/edge.wit).

import (
	"fmt"
	"unsafe"
)

//go:wasmimport wasi:i2c/i2c@0.2.0-draft [method]i2c.transaction
//go:noescape
func i2cTransaction(this uint32, address uint32, ops unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:i2c/i2c@0.2.0-draft [method]i2c.read
//go:noescape
func i2cRead(this uint32, address uint32, n uint64, ret unsafe.Pointer)

//go:wasmimport wasi:i2c/i2c@0.2.0-draft [method]i2c.write
//go:noescape
func i2cWrite(this uint32, address uint32, data unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:i2c/i2c@0.2.0-draft [method]i2c.write-read
//go:noescape
func i2cWriteRead(this uint32, address uint32, data unsafe.Pointer, n uint32, readLen uint64, ret unsafe.Pointer)

//go:wasmimport wasi:i2c/i2c@0.2.0-draft [resource-drop]i2c
func i2cDrop(this uint32)

//go:wasmimport wasi:i2c/delay@0.2.0-draft [method]delay.delay-ns
func delayDelayNs(this uint32, ns uint32)

//go:wasmimport wasi:i2c/delay@0.2.0-draft [resource-drop]delay
func delayDrop(this uint32)

//go:wasmimport wasi-edge:host/access@0.1.0 list-i2c-buses
//go:noescape
func accessListI2cBuses(ret unsafe.Pointer)

//go:wasmimport wasi-edge:host/access@0.1.0 open-i2c
//go:noescape
func accessOpenI2c(name unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi-edge:host/access@0.1.0 get-delay
func accessGetDelay() uint32

// NoAcknowledgeSource is what was not acknowledged.
type NoAcknowledgeSource uint8

const (
	NackAddress NoAcknowledgeSource = iota
	NackData
	NackUnknown
)

// wit-enum wasi:i2c/i2c@0.2.0-draft no-acknowledge-source
var noAcknowledgeSourceNames = [...]string{"address", "data", "unknown"}

func (s NoAcknowledgeSource) String() string { return enumName(noAcknowledgeSourceNames[:], uint8(s)) }

// I2cErrorKind is the case of wasi:i2c's error-code.
type I2cErrorKind uint8

const (
	I2cBus I2cErrorKind = iota
	I2cArbitrationLoss
	// I2cNoAcknowledge: no device answered (Source NackAddress), or it refused a byte (NackData).
	I2cNoAcknowledge
	I2cOverrun
	// I2cOther is everything else; on this host also an address the guest is not granted.
	I2cOther
)

// wit-variant wasi:i2c/i2c@0.2.0-draft error-code
var i2cErrorNames = [...]string{"bus", "arbitration-loss", "no-acknowledge", "overrun", "other"}

// I2cError is why a bus call failed.
type I2cError struct {
	Kind I2cErrorKind
	// Source is set for I2cNoAcknowledge.
	Source NoAcknowledgeSource
}

func (e *I2cError) Code() string { return enumName(i2cErrorNames[:], uint8(e.Kind)) }

// Error gives the WIT names: "no-acknowledge(address)", "bus", ...
func (e *I2cError) Error() string {
	if e.Kind == I2cNoAcknowledge {
		return fmt.Sprintf("no-acknowledge(%s)", e.Source)
	}
	return e.Code()
}

// liftI2cError reads error-code at at: its tag, then the source at at+1.
func liftI2cError(r *retArea, at uintptr) *I2cError {
	e := &I2cError{Kind: I2cErrorKind(r.u8(at))}
	if e.Kind > I2cOther {
		e.Kind = I2cOther
	}
	if e.Kind == I2cNoAcknowledge {
		e.Source = NoAcknowledgeSource(r.u8(at + 1))
	}
	return e
}

// I2cAddress is a 7-bit address (10-bit on a bus configured for it).
type I2cAddress = uint16

// I2cOperation is one step of a transaction: a Read of ReadLen bytes, or a Write of Data.
type I2cOperation struct {
	Write   []byte
	ReadLen uint64
	IsRead  bool
}

// I2cRead and I2cWrite make the two kinds of operation.
func I2cRead(n uint64) I2cOperation     { return I2cOperation{IsRead: true, ReadLen: n} }
func I2cWrite(data []byte) I2cOperation { return I2cOperation{Write: data} }

// I2c is an open I2C bus.
type I2c struct{ resource }

func bytesResultI2c(r *retArea) ([]byte, error) {
	if r.u8(0) != 0 {
		return nil, liftI2cError(r, 4)
	}
	return r.bytes(4), nil
}

// Transaction runs the operations as one transaction (repeated starts, one stop); it returns one
// slice per read, in order (docs/spec-notes/i2c.md).
func (b *I2c) Transaction(address I2cAddress, ops []I2cOperation) ([][]byte, error) {
	h, err := b.use()
	if err != nil {
		return nil, err
	}
	raw := make([]variant16, len(ops))
	for i, op := range ops {
		if op.IsRead {
			raw[i] = variantU64(0, op.ReadLen)
		} else {
			raw[i] = variantList(1, op.Write)
		}
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	i2cTransaction(h, uint32(address), unsafe.Pointer(unsafe.SliceData(raw)), uint32(len(raw)), r.ptr())
	keep(raw)
	keep(ops)
	if r.u8(0) != 0 {
		return nil, liftI2cError(&r, 4)
	}
	ptr, n := r.list(4)
	out := make([][]byte, n)
	for i := range out {
		e := guest(ptr + 8*uint32(i))
		out[i] = copyBytes(loadU32(e, 0), loadU32(e, 4))
	}
	return out, nil
}

func (b *I2c) Read(address I2cAddress, n uint64) ([]byte, error) {
	h, err := b.use()
	if err != nil {
		return nil, err
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	i2cRead(h, uint32(address), n, r.ptr())
	return bytesResultI2c(&r)
}

func (b *I2c) Write(address I2cAddress, data []byte) error {
	h, err := b.use()
	if err != nil {
		return err
	}
	var r retArea
	p, n := bytesArg(data)
	i2cWrite(h, uint32(address), p, n, r.ptr())
	keep(data)
	if r.u8(0) != 0 {
		return liftI2cError(&r, 1)
	}
	return nil
}

// WriteRead writes, then reads readLen bytes after a repeated start (register reads).
func (b *I2c) WriteRead(address I2cAddress, write []byte, readLen uint64) ([]byte, error) {
	h, err := b.use()
	if err != nil {
		return nil, err
	}
	var r retArea
	p, n := bytesArg(write)
	allocBegin()
	defer allocEnd()
	i2cWriteRead(h, uint32(address), p, n, readLen, r.ptr())
	keep(write)
	return bytesResultI2c(&r)
}

func (b *I2c) Close() {
	if b.release() {
		i2cDrop(b.handle)
	}
}

// Delay waits without spinning (GetDelay).
type Delay struct{ resource }

// DelayNs pauses for at least ns nanoseconds.
func (d *Delay) DelayNs(ns uint32) {
	if h, err := d.use(); err == nil {
		delayDelayNs(h, ns)
	}
}

func (d *Delay) Close() {
	if d.release() {
		delayDrop(d.handle)
	}
}

// AccessErrorKind is the case of access-error.
type AccessErrorKind uint8

const (
	// AccessNotFound: no bus with that name is configured.
	AccessNotFound AccessErrorKind = iota
	// AccessPermissionDenied: the bus exists but this guest is not granted it.
	AccessPermissionDenied
	// AccessUnavailable: the bus is configured but could not be opened; Message says why.
	AccessUnavailable
)

// wit-variant wasi-edge:host/access@0.1.0 access-error
var accessErrorNames = [...]string{"not-found", "permission-denied", "unavailable"}

// AccessError is why a bus could not be opened.
type AccessError struct {
	Kind    AccessErrorKind
	Message string
}

func (e *AccessError) Code() string { return enumName(accessErrorNames[:], uint8(e.Kind)) }

func (e *AccessError) Error() string {
	if e.Kind == AccessUnavailable {
		return "unavailable: " + e.Message
	}
	return e.Code()
}

// ListI2cBuses gives the names of the I2C buses this guest may open.
func ListI2cBuses() []string {
	var r retArea
	allocBegin()
	defer allocEnd()
	accessListI2cBuses(r.ptr())
	return copyStrings(r.list(0))
}

// OpenI2c opens a configured I2C bus by name; each call gives a new handle.
func OpenI2c(name string) (*I2c, error) {
	var r retArea
	p, n := stringArg(name)
	allocBegin()
	defer allocEnd()
	accessOpenI2c(p, n, r.ptr())
	keep(name)
	if r.u8(0) == 0 {
		return &I2c{own(r.u32(4))}, nil
	}
	e := &AccessError{Kind: AccessErrorKind(r.u8(4))}
	if e.Kind >= AccessUnavailable {
		e.Kind, e.Message = AccessUnavailable, r.string(8)
	}
	return nil, e
}

// GetDelay gives a delay provider.
func GetDelay() *Delay { return &Delay{own(accessGetDelay())} }

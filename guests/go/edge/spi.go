package edge

// wasi:spi (unversioned, upstream a4797e2): SPI devices, opened by name. Clock, mode and bit order
// are the host's configuration, not the guest's.

import "unsafe"

//go:wasmimport wasi:spi/spi open
//go:noescape
func spiOpen(name unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:spi/spi [method]spi-device.read
//go:noescape
func spiRead(this uint32, n uint64, ret unsafe.Pointer)

//go:wasmimport wasi:spi/spi [method]spi-device.write
//go:noescape
func spiWrite(this uint32, data unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:spi/spi [method]spi-device.transfer
//go:noescape
func spiTransfer(this uint32, data unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:spi/spi [method]spi-device.transaction
//go:noescape
func spiTransaction(this uint32, ops unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:spi/spi [resource-drop]spi-device
func spiDeviceDrop(this uint32)

// SpiErrorKind is the case of wasi:spi's error.
type SpiErrorKind uint8

const (
	SpiOverrun SpiErrorKind = iota
	SpiModeFault
	SpiFrameFormat
	SpiChipSelectFault
	// SpiOther is everything else (an unknown or ungranted device, a length over the host's
	// limit), with a message for people.
	SpiOther
)

// wit-variant wasi:spi/spi error
var spiErrorNames = [...]string{"overrun", "mode-fault", "frame-format", "chip-select-fault", "other"}

// SpiError is why an SPI call failed.
type SpiError struct {
	Kind    SpiErrorKind
	Message string
}

func (e *SpiError) Code() string { return enumName(spiErrorNames[:], uint8(e.Kind)) }

func (e *SpiError) Error() string {
	if e.Kind == SpiOther {
		return "other: " + e.Message
	}
	return e.Code()
}

// liftSpiError reads error at offset 4 of a result: its tag, the message at 8.
func liftSpiError(r *retArea) *SpiError {
	e := &SpiError{Kind: SpiErrorKind(r.u8(4))}
	if e.Kind >= SpiOther {
		e.Kind, e.Message = SpiOther, r.string(8)
	}
	return e
}

func spiUnit(r *retArea) error {
	if r.u8(0) != 0 {
		return liftSpiError(r)
	}
	return nil
}

func spiBytes(r *retArea) ([]byte, error) {
	if r.u8(0) != 0 {
		return nil, liftSpiError(r)
	}
	return r.bytes(4), nil
}

// SpiOpKind is the case of an SpiOperation.
type SpiOpKind uint8

const (
	SpiOpRead SpiOpKind = iota
	SpiOpWrite
	// SpiOpTransfer is full duplex: as many bytes are read as are written.
	SpiOpTransfer
	SpiOpDelayNs
)

// SpiOperation is one step of a transaction; chip select stays asserted across all of them.
type SpiOperation struct {
	Kind SpiOpKind
	// Data for SpiOpWrite and SpiOpTransfer.
	Data []byte
	// N is the length for SpiOpRead, nanoseconds for SpiOpDelayNs.
	N uint64
}

// SpiResult is the result of one operation: Data for reads and transfers.
type SpiResult struct {
	Kind SpiOpKind
	Data []byte
}

// SpiDevice is an open SPI device (a chip select on a bus).
type SpiDevice struct{ resource }

// OpenSpi opens a device by name (the names are the host's configuration).
func OpenSpi(name string) (*SpiDevice, error) {
	var r retArea
	p, n := stringArg(name)
	allocBegin()
	defer allocEnd()
	spiOpen(p, n, r.ptr())
	keep(name)
	if r.u8(0) != 0 {
		return nil, liftSpiError(&r)
	}
	return &SpiDevice{own(r.u32(4))}, nil
}

func (d *SpiDevice) Read(n uint64) ([]byte, error) {
	h, err := d.use()
	if err != nil {
		return nil, err
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	spiRead(h, n, r.ptr())
	return spiBytes(&r)
}

func (d *SpiDevice) Write(data []byte) error {
	h, err := d.use()
	if err != nil {
		return err
	}
	var r retArea
	p, n := bytesArg(data)
	allocBegin()
	defer allocEnd()
	spiWrite(h, p, n, r.ptr())
	keep(data)
	return spiUnit(&r)
}

// Transfer is full duplex: it writes data and returns as many bytes read.
func (d *SpiDevice) Transfer(data []byte) ([]byte, error) {
	h, err := d.use()
	if err != nil {
		return nil, err
	}
	var r retArea
	p, n := bytesArg(data)
	allocBegin()
	defer allocEnd()
	spiTransfer(h, p, n, r.ptr())
	keep(data)
	return spiBytes(&r)
}

// Transaction runs the operations with chip select held; one result per operation.
func (d *SpiDevice) Transaction(ops []SpiOperation) ([]SpiResult, error) {
	h, err := d.use()
	if err != nil {
		return nil, err
	}
	raw := make([]variant16, len(ops))
	for i, op := range ops {
		switch op.Kind {
		case SpiOpRead:
			raw[i] = variantU64(0, op.N)
		case SpiOpWrite, SpiOpTransfer:
			raw[i] = variantList(uint8(op.Kind), op.Data)
		default:
			raw[i] = variant16{tag: 3, a: uint32(op.N)}
		}
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	spiTransaction(h, unsafe.Pointer(unsafe.SliceData(raw)), uint32(len(raw)), r.ptr())
	keep(raw)
	keep(ops)
	if r.u8(0) != 0 {
		return nil, liftSpiError(&r)
	}
	ptr, n := r.list(4)
	out := make([]SpiResult, n)
	for i := range out {
		e := guest(ptr + 12*uint32(i))
		out[i].Kind = SpiOpKind(loadU8(e, 0))
		if out[i].Kind == SpiOpRead || out[i].Kind == SpiOpTransfer {
			out[i].Data = copyBytes(loadU32(e, 4), loadU32(e, 8))
		}
	}
	return out, nil
}

func (d *SpiDevice) Close() {
	if d.release() {
		spiDeviceDrop(d.handle)
	}
}

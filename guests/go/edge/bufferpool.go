package edge

// wasi:buffer-pool (unversioned HEAD): pools that a sensor fills with frames, and the frame data
// types (data-types).

import "unsafe"

//go:wasmimport wasi:buffer-pool/buffer-pool [static]pool.create
//go:noescape
func poolCreate(mode uint32, size uint32, bufferNum uint32, name unsafe.Pointer, nameLen uint32, ret unsafe.Pointer)

//go:wasmimport wasi:buffer-pool/buffer-pool [method]pool.read-frames
//go:noescape
func poolReadFrames(this uint32, maxResults uint32, ret unsafe.Pointer)

//go:wasmimport wasi:buffer-pool/buffer-pool [method]pool.subscribe
func poolSubscribe(this uint32) uint32

//go:wasmimport wasi:buffer-pool/buffer-pool [method]pool.get-statistics
//go:noescape
func poolGetStatistics(this uint32, ret unsafe.Pointer)

//go:wasmimport wasi:buffer-pool/buffer-pool [resource-drop]pool
func poolDrop(this uint32)

//go:wasmimport wasi:buffer-pool/buffer-pool [method]memory.address
func memoryAddress(this uint32) uint64

//go:wasmimport wasi:buffer-pool/buffer-pool [method]memory.size
func memorySize(this uint32) uint32

//go:wasmimport wasi:buffer-pool/buffer-pool [method]memory.invalidate
//go:noescape
func memoryInvalidate(this uint32, ret unsafe.Pointer)

//go:wasmimport wasi:buffer-pool/buffer-pool [resource-drop]memory
func memoryDrop(this uint32)

// BufferError is why a pool call failed (wasi:sensor's device-error has the same cases).
type BufferError uint8

// DeviceError is wasi:sensor's device-error, which has exactly buffer-error's cases in the same
// order (the bindings test checks it).
type DeviceError = BufferError

const (
	BufferNotFound BufferError = iota
	BufferInvalidArgument
	BufferResourceExhausted
	BufferPermissionDenied
	BufferBusy
	BufferTimeout
	BufferCancelled
	BufferAborted
	BufferAlreadyExists
	BufferInvalidOperation
	BufferOutOfRange
	BufferDataLoss
	BufferHardwareError
	BufferNotSupported
	BufferUnknown
)

// wit-enum wasi:buffer-pool/buffer-pool buffer-error
var bufferErrorNames = [...]string{
	"not-found", "invalid-argument", "resource-exhausted", "permission-denied", "busy", "timeout",
	"cancelled", "aborted", "already-exists", "invalid-operation", "out-of-range", "data-loss",
	"hardware-error", "not-supported", "unknown",
}

func (e BufferError) Error() string { return enumName(bufferErrorNames[:], uint8(e)) }
func (e BufferError) Code() string  { return e.Error() }

// BufferingMode is what a full pool does with a new frame.
type BufferingMode uint8

const (
	// BufferingOff keeps only the newest frame.
	BufferingOff BufferingMode = iota
	// BufferingDiscard keeps the oldest buffer-num frames and drops new ones.
	BufferingDiscard
	// BufferingOverwrite keeps the newest buffer-num frames (a ring).
	BufferingOverwrite
	// BufferingUnlimited keeps every frame, up to the host's byte limit.
	BufferingUnlimited
)

// wit-enum wasi:buffer-pool/buffer-pool buffering-mode
var bufferingModeNames = [...]string{"buffering-off", "buffering-discard", "buffering-overwrite", "buffering-unlimited"}

func (m BufferingMode) String() string { return enumName(bufferingModeNames[:], uint8(m)) }

// FramePixelFormat is how a frame's pixels are laid out (wasi:buffer-pool's pixel-format; the
// first seven cases of wasi:vision's PixelFormat, with the same ordinals).
type FramePixelFormat uint8

const (
	FrameGray FramePixelFormat = iota
	FrameRgb24
	FrameBgr24
	FrameArgb32
	FrameAbgr32
	FrameYuy2
	FrameMjpeg
)

// wit-enum wasi:buffer-pool/data-types pixel-format
var framePixelFormatNames = [...]string{"gray", "rgb24", "bgr24", "argb32", "abgr32", "yuy2", "mjpeg"}

func (f FramePixelFormat) String() string { return enumName(framePixelFormatNames[:], uint8(f)) }

// Dimension is a frame's geometry; StrideBytes 0 means packed (and is what compressed formats report).
type Dimension struct {
	Width, Height, StrideBytes uint32
	PixelFormat                FramePixelFormat
}

// liftDimension reads the 16-byte record (width, height, stride, format) at p.
func liftDimension(p unsafe.Pointer) Dimension {
	return Dimension{Width: loadU32(p, 0), Height: loadU32(p, 4), StrideBytes: loadU32(p, 8), PixelFormat: FramePixelFormat(loadU8(p, 12))}
}

// FrameImage is a by-value frame entry: the pixels copied into guest memory.
type FrameImage struct {
	Dimension Dimension
	Payload   []byte
}

// Memory is a frame buffer that stays in the host (host-memory frames). Close returns the buffer
// to its pool; ImageFromFrame takes it over instead.
type Memory struct{ resource }

// Address is an opaque non-zero id of the buffer in this host (not a guest address).
func (m *Memory) Address() uint64 {
	h, err := m.use()
	if err != nil {
		return 0
	}
	return memoryAddress(h)
}

// Size is the payload's length in bytes.
func (m *Memory) Size() uint32 {
	h, err := m.use()
	if err != nil {
		return 0
	}
	return memorySize(h)
}

// Invalidate returns the buffer to the pool now (the handle stays, but is stale).
func (m *Memory) Invalidate() error {
	h, err := m.use()
	if err != nil {
		return err
	}
	var r retArea
	memoryInvalidate(h, r.ptr())
	return unitResult(&r, 1)
}

func (m *Memory) Close() {
	if m.release() {
		memoryDrop(m.handle)
	}
}

// FrameData is one entry of a frame: exactly one of Image (by value) and Memory (host memory) is set.
type FrameData struct {
	Image  *FrameImage
	Memory *Memory
}

// Close releases the entry's host memory, if it has any.
func (d FrameData) Close() {
	if d.Memory != nil {
		d.Memory.Close()
	}
}

// liftFrameData reads one 32-byte frame-data at p.
func liftFrameData(p unsafe.Pointer) FrameData {
	if loadU8(p, 0) == 1 {
		return FrameData{Memory: &Memory{own(loadU32(p, 4))}}
	}
	// by-value: the data-type tag at 4 (image is its only case), the image record at 8, payload at 24
	return FrameData{Image: &FrameImage{Dimension: liftDimension(unsafe.Add(p, 8)), Payload: copyBytes(loadU32(p, 24), loadU32(p, 28))}}
}

// FrameInfo is a frame read from a pool. Close it (or hand its Memory to ImageFromFrame) to return
// its buffers.
type FrameInfo struct {
	SequenceNumber uint64
	// Timestamp is in nanoseconds since a fixed point in the past.
	Timestamp uint64
	Data      []FrameData
}

// Close releases every entry's host memory.
func (f *FrameInfo) Close() {
	for _, d := range f.Data {
		d.Close()
	}
}

// PoolStatistics counts the frames a pool was offered, dropped because it was full, and read.
type PoolStatistics struct{ Enqueued, Dropped, Dequeued uint64 }

// Pool is a named pool that a sensor (Device.Start(name)) fills with frames.
type Pool struct{ resource }

// CreatePool creates a pool: size bounds one frame's payload in bytes (0 = any), bufferNum the
// frames a discard or overwrite pool holds. A name ending in -hm gets host-memory frames on this
// host (docs/spec-notes/sensor.md).
func CreatePool(mode BufferingMode, size, bufferNum uint32, name string) (*Pool, error) {
	var r retArea
	p, n := stringArg(name)
	poolCreate(uint32(mode), size, bufferNum, p, n, r.ptr())
	keep(name)
	if r.u8(0) != 0 {
		return nil, BufferError(r.u8(4))
	}
	return &Pool{own(r.u32(4))}, nil
}

// ReadFrames returns up to maxResults frames that are ready now, oldest first; it never waits.
func (pl *Pool) ReadFrames(maxResults uint32) ([]FrameInfo, error) {
	h, err := pl.use()
	if err != nil {
		return nil, err
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	poolReadFrames(h, maxResults, r.ptr())
	if r.u8(0) != 0 {
		return nil, BufferError(r.u8(4))
	}
	ptr, n := r.list(4)
	frames := make([]FrameInfo, n)
	for i := range frames {
		f := guest(ptr + 24*uint32(i))
		d, m := loadU32(f, 16), loadU32(f, 20)
		data := make([]FrameData, m)
		for j := range data {
			data[j] = liftFrameData(guest(d + 32*uint32(j)))
		}
		frames[i] = FrameInfo{SequenceNumber: loadU64(f, 0), Timestamp: loadU64(f, 8), Data: data}
	}
	return frames, nil
}

// Subscribe gives a pollable that is ready when a frame can be read.
func (pl *Pool) Subscribe() (*Pollable, error) {
	h, err := pl.use()
	if err != nil {
		return nil, err
	}
	return &Pollable{own(poolSubscribe(h))}, nil
}

func (pl *Pool) Statistics() (PoolStatistics, error) {
	h, err := pl.use()
	if err != nil {
		return PoolStatistics{}, err
	}
	var r retArea
	poolGetStatistics(h, r.ptr())
	if r.u8(0) != 0 {
		return PoolStatistics{}, BufferError(r.u8(8))
	}
	return PoolStatistics{Enqueued: r.u64(8), Dropped: r.u64(16), Dequeued: r.u64(24)}, nil
}

func (pl *Pool) Close() {
	if pl.release() {
		poolDrop(pl.handle)
	}
}

// unitResult reads result<_, buffer-error> (or device-error): the tag, the ordinal at errAt.
func unitResult(r *retArea, errAt uintptr) error {
	if r.u8(0) == 0 {
		return nil
	}
	return BufferError(r.u8(errAt))
}

package edge

// wasi:sensor (unversioned HEAD): devices (cameras) that fill buffer pools, and their properties.

import "unsafe"

//go:wasmimport wasi:sensor/sensor [static]device.open
//go:noescape
func deviceOpen(name unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:sensor/sensor [static]device.list-names
//go:noescape
func deviceListNames(ret unsafe.Pointer)

//go:wasmimport wasi:sensor/sensor [method]device.start
//go:noescape
func deviceStart(this uint32, pool unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:sensor/sensor [method]device.stop
//go:noescape
func deviceStop(this uint32, ret unsafe.Pointer)

//go:wasmimport wasi:sensor/sensor [method]device.set-property
//go:noescape
func deviceSetProperty(this uint32, key uint32, tag uint32, a uint32, b uint32, c uint32, d uint32, ret unsafe.Pointer)

//go:wasmimport wasi:sensor/sensor [method]device.get-property
//go:noescape
func deviceGetProperty(this uint32, key uint32, ret unsafe.Pointer)

//go:wasmimport wasi:sensor/sensor [resource-drop]device
func deviceDrop(this uint32)

// PropertyKey is a device property.
type PropertyKey uint8

const (
	// SamplingRate is samples (frames) per second, a Fraction.
	SamplingRate PropertyKey = iota
	// DimensionKey is the frame geometry, a Dimension.
	DimensionKey
)

// wit-enum wasi:sensor/property property-key
var propertyKeyNames = [...]string{"sampling-rate", "dimension"}

func (k PropertyKey) String() string { return enumName(propertyKeyNames[:], uint8(k)) }

// Fraction is a ratio, e.g. a frame rate of 30000/1001.
type Fraction struct{ Numerator, Denominator uint32 }

// PropertyValue is the value of a property: exactly one of Fraction and Dimension is set.
type PropertyValue struct {
	Fraction  *Fraction
	Dimension *Dimension
}

// Device is an open sensor. Close closes it (and stops it).
type Device struct{ resource }

// OpenDevice opens a device by name (ListDeviceNames says which exist).
func OpenDevice(name string) (*Device, error) {
	var r retArea
	p, n := stringArg(name)
	deviceOpen(p, n, r.ptr())
	keep(name)
	if r.u8(0) != 0 {
		return nil, DeviceError(r.u8(4))
	}
	return &Device{own(r.u32(4))}, nil
}

// ListDeviceNames gives the names of the devices this guest may open.
func ListDeviceNames() ([]string, error) {
	var r retArea
	allocBegin()
	defer allocEnd()
	deviceListNames(r.ptr())
	if r.u8(0) != 0 {
		return nil, DeviceError(r.u8(4))
	}
	return copyStrings(r.list(4)), nil
}

// Start starts delivering frames into the pool of that name.
func (d *Device) Start(pool string) error {
	h, err := d.use()
	if err != nil {
		return err
	}
	var r retArea
	p, n := stringArg(pool)
	deviceStart(h, p, n, r.ptr())
	keep(pool)
	return unitResult(&r, 1)
}

func (d *Device) Stop() error {
	h, err := d.use()
	if err != nil {
		return err
	}
	var r retArea
	deviceStop(h, r.ptr())
	return unitResult(&r, 1)
}

// SetProperty sets a property (this host: only while the device is stopped).
func (d *Device) SetProperty(key PropertyKey, value PropertyValue) error {
	h, err := d.use()
	if err != nil {
		return err
	}
	// property-value flattened: its tag, then four i32 slots (a fraction uses two)
	var tag, a, b, c, e uint32
	switch {
	case value.Fraction != nil:
		a, b = value.Fraction.Numerator, value.Fraction.Denominator
	case value.Dimension != nil:
		v := value.Dimension
		tag, a, b, c, e = 1, v.Width, v.Height, v.StrideBytes, uint32(v.PixelFormat)
	default:
		return BufferInvalidArgument
	}
	var r retArea
	deviceSetProperty(h, uint32(key), tag, a, b, c, e, r.ptr())
	return unitResult(&r, 1)
}

func (d *Device) GetProperty(key PropertyKey) (PropertyValue, error) {
	h, err := d.use()
	if err != nil {
		return PropertyValue{}, err
	}
	var r retArea
	deviceGetProperty(h, uint32(key), r.ptr())
	if r.u8(0) != 0 {
		return PropertyValue{}, DeviceError(r.u8(4))
	}
	if r.u8(4) == 0 {
		return PropertyValue{Fraction: &Fraction{Numerator: r.u32(8), Denominator: r.u32(12)}}, nil
	}
	dim := liftDimension(unsafe.Add(r.ptr(), 8))
	return PropertyValue{Dimension: &dim}, nil
}

// Dimension is the frame size and format (GetProperty(DimensionKey)).
func (d *Device) Dimension() (Dimension, error) {
	v, err := d.GetProperty(DimensionKey)
	if err != nil {
		return Dimension{}, err
	}
	if v.Dimension == nil {
		return Dimension{}, BufferUnknown
	}
	return *v.Dimension, nil
}

// SamplingRate is the frame rate (GetProperty(SamplingRate)).
func (d *Device) SamplingRate() (Fraction, error) {
	v, err := d.GetProperty(SamplingRate)
	if err != nil {
		return Fraction{}, err
	}
	if v.Fraction == nil {
		return Fraction{}, BufferUnknown
	}
	return *v.Fraction, nil
}

func (d *Device) Close() {
	if d.release() {
		deviceDrop(d.handle)
	}
}

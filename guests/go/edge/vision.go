package edge

// wasi:vision/image@0.1.0-draft (this project's proposal, docs/vision.md): images whose pixels stay
// in the host, made from sensor frames, files or bytes, and turned into wasi:nn tensors.

import (
	"math"
	"unsafe"
)

//go:wasmimport wasi:vision/image@0.1.0-draft [static]image.from-encoded
//go:noescape
func imageFromEncoded(data unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [static]image.from-pixels
//go:noescape
func imageFromPixels(width uint32, height uint32, format uint32, planes unsafe.Pointer, planesLen uint32, data unsafe.Pointer, n uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [static]image.from-frame
//go:noescape
func imageFromFrame(tag uint32, a uint32, b uint32, c uint32, d uint32, e uint32, f uint32, g uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.width
func imageWidth(this uint32) uint32

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.height
func imageHeight(this uint32) uint32

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.pixel-format
func imagePixelFormat(this uint32) uint32

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.layout
//go:noescape
func imageLayout(this uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.crop
//go:noescape
func imageCrop(this uint32, x uint32, y uint32, w uint32, h uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.resize
//go:noescape
func imageResize(this uint32, width uint32, height uint32, method uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.convert
//go:noescape
func imageConvert(this uint32, format uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.encode
//go:noescape
func imageEncode(this uint32, encoding uint32, quality uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.read
//go:noescape
func imageRead(this uint32, hasRegion uint32, x uint32, y uint32, w uint32, h uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.to-tensor
//go:noescape
func imageToTensor(this uint32, width uint32, height uint32, method uint32, layout uint32, elementType uint32, channels uint32, normTag uint32, s1 uint32, s2 uint32, s3 uint32, s4 uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.draw-rect
//go:noescape
func imageDrawRect(this uint32, x uint32, y uint32, w uint32, h uint32, r uint32, g uint32, b uint32, thickness uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [method]image.draw-points
//go:noescape
func imageDrawPoints(this uint32, points unsafe.Pointer, n uint32, r uint32, g uint32, b uint32, radius uint32, ret unsafe.Pointer)

//go:wasmimport wasi:vision/image@0.1.0-draft [resource-drop]image
func imageDrop(this uint32)

// PixelFormat is a pixel layout. The first seven are wasi:buffer-pool's, with the same ordinals.
type PixelFormat uint8

const (
	Gray PixelFormat = iota
	Rgb24
	Bgr24
	Argb32
	Abgr32
	Yuy2
	// Mjpeg is accepted when creating an image (decoded to rgb24); never held by one.
	Mjpeg
	Rgba32
	Nv12
	I420
)

// wit-enum wasi:vision/image@0.1.0-draft pixel-format
var pixelFormatNames = [...]string{"gray", "rgb24", "bgr24", "argb32", "abgr32", "yuy2", "mjpeg", "rgba32", "nv12", "i420"}

func (f PixelFormat) String() string { return enumName(pixelFormatNames[:], uint8(f)) }

type ResizeMethod uint8

const (
	Nearest ResizeMethod = iota
	Bilinear
	// Area averages: use it to shrink.
	Area
)

// wit-enum wasi:vision/image@0.1.0-draft resize-method
var resizeMethodNames = [...]string{"nearest", "bilinear", "area"}

func (m ResizeMethod) String() string { return enumName(resizeMethodNames[:], uint8(m)) }

// TensorLayout is the axis order of an image tensor (batch 1 first).
type TensorLayout uint8

const (
	Nhwc TensorLayout = iota
	Nchw
)

// wit-enum wasi:vision/image@0.1.0-draft tensor-layout
var tensorLayoutNames = [...]string{"nhwc", "nchw"}

func (l TensorLayout) String() string { return enumName(tensorLayoutNames[:], uint8(l)) }

type ChannelOrder uint8

const (
	RgbChannels ChannelOrder = iota
	BgrChannels
	// GrayChannel is one channel: BT.601 luma.
	GrayChannel
)

// wit-enum wasi:vision/image@0.1.0-draft channel-order
var channelOrderNames = [...]string{"rgb", "bgr", "gray"}

func (c ChannelOrder) String() string { return enumName(channelOrderNames[:], uint8(c)) }

// Plane says where one plane starts and how far apart its rows are.
type Plane struct{ Offset, StrideBytes uint32 }

// Layout is the geometry and memory layout of pixels.
type Layout struct {
	Width, Height uint32
	PixelFormat   PixelFormat
	// Planes has one entry per plane; empty when creating means tightly packed.
	Planes []Plane
}

type Rect struct{ X, Y, Width, Height uint32 }

type Point struct{ X, Y uint32 }

type Color struct{ R, G, B uint8 }

// Encoding is an image file format: Png, or Jpeg(quality 1 to 100).
type Encoding struct {
	Jpeg    bool
	Quality uint8
}

var Png = Encoding{}

func Jpeg(quality uint8) Encoding { return Encoding{Jpeg: true, Quality: quality} }

// NormKind is the case of a Normalization.
type NormKind uint8

const (
	// NormNone keeps the sample itself (0 to 255).
	NormNone NormKind = iota
	// NormScaleOffset is sample * Scale + Offset.
	NormScaleOffset
	// NormMeanStd is (sample / 255 - Mean[c]) / Std[c], one entry per channel.
	NormMeanStd
)

// Normalization is how 8-bit samples become tensor values.
type Normalization struct {
	Kind          NormKind
	Scale, Offset float32
	Mean, Std     []float32
}

// TensorOptions says what ToTensor produces.
type TensorOptions struct {
	// Width and Height are the target size (0, 0 keeps the image's).
	Width, Height uint32
	ResizeMethod  ResizeMethod
	TensorLayout  TensorLayout
	// ElementType is U8 (with NormNone) or Fp32.
	ElementType   TensorType
	Channels      ChannelOrder
	Normalization Normalization
}

// VisionErrorKind is the case of vision-error.
type VisionErrorKind uint8

const (
	VisionInvalidArgument VisionErrorKind = iota
	VisionOutOfBounds
	VisionUnsupportedFormat
	VisionDecodeFailed
	VisionTooLarge
	VisionNotSupported
	// VisionStaleFrame: the frame's host memory is unknown, invalidated or released; read the next frame.
	VisionStaleFrame
)

// wit-variant wasi:vision/image@0.1.0-draft vision-error
var visionErrorNames = [...]string{"invalid-argument", "out-of-bounds", "unsupported-format", "decode-failed", "too-large", "not-supported", "stale-frame"}

// VisionError is why a vision call failed; each case says what the guest can do about it
// (wit/deps/vision).
type VisionError struct {
	Kind VisionErrorKind
	// Message for invalid-argument, decode-failed and not-supported.
	Message string
	// Format for unsupported-format.
	Format PixelFormat
}

func (e *VisionError) Code() string { return enumName(visionErrorNames[:], uint8(e.Kind)) }

func (e *VisionError) Error() string {
	switch e.Kind {
	case VisionInvalidArgument, VisionDecodeFailed, VisionNotSupported:
		return e.Code() + ": " + e.Message
	case VisionUnsupportedFormat:
		return e.Code() + ": " + e.Format.String()
	}
	return e.Code()
}

// liftVisionError reads vision-error at offset 4 of a result: its tag, the payload at 8.
func liftVisionError(r *retArea) *VisionError {
	e := &VisionError{Kind: VisionErrorKind(r.u8(4))}
	switch e.Kind {
	case VisionInvalidArgument, VisionDecodeFailed, VisionNotSupported:
		e.Message = r.string(8)
	case VisionUnsupportedFormat:
		e.Format = PixelFormat(r.u8(8))
	case VisionOutOfBounds, VisionTooLarge, VisionStaleFrame:
	default:
		e.Kind = VisionStaleFrame
	}
	return e
}

func imageResult(r *retArea) (*Image, error) {
	if r.u8(0) != 0 {
		return nil, liftVisionError(r)
	}
	return &Image{own(r.u32(4))}, nil
}

func visionUnit(r *retArea) error {
	if r.u8(0) != 0 {
		return liftVisionError(r)
	}
	return nil
}

// Image is an image held by the host. Close releases its pixels (and returns the frame buffer it
// was made from to its pool).
type Image struct{ resource }

// ImageFromEncoded decodes a PNG or JPEG file.
func ImageFromEncoded(data []byte) (*Image, error) {
	var r retArea
	p, n := bytesArg(data)
	allocBegin()
	defer allocEnd()
	imageFromEncoded(p, n, r.ptr())
	keep(data)
	return imageResult(&r)
}

// ImageFromPixels copies raw pixels described by layout.
func ImageFromPixels(layout Layout, data []byte) (*Image, error) {
	planes := make([]uint32, 2*len(layout.Planes))
	for i, pl := range layout.Planes {
		planes[2*i], planes[2*i+1] = pl.Offset, pl.StrideBytes
	}
	var r retArea
	p, n := bytesArg(data)
	allocBegin()
	defer allocEnd()
	imageFromPixels(layout.Width, layout.Height, uint32(layout.PixelFormat), unsafe.Pointer(unsafe.SliceData(planes)), uint32(len(layout.Planes)), p, n, r.ptr())
	keep(planes)
	keep(data)
	return imageResult(&r)
}

// ImageFromFrame takes a frame entry: a host-memory buffer is wrapped without a copy (the Memory is
// closed by the call, and the buffer returns to its pool when the image is closed); a by-value
// payload is copied.
func ImageFromFrame(d FrameData) (*Image, error) {
	var r retArea
	allocBegin()
	defer allocEnd()
	switch {
	case d.Memory != nil:
		h, ok := d.Memory.take()
		if !ok {
			return nil, ErrClosed
		}
		imageFromFrame(1, h, 0, 0, 0, 0, 0, 0, r.ptr())
	case d.Image != nil:
		dim := d.Image.Dimension
		p, n := bytesArg(d.Image.Payload)
		imageFromFrame(0, 0, dim.Width, dim.Height, dim.StrideBytes, uint32(dim.PixelFormat), addr(p), n, r.ptr())
		keep(d.Image)
	default:
		return nil, &VisionError{Kind: VisionInvalidArgument, Message: "an empty frame entry"}
	}
	return imageResult(&r)
}

func (im *Image) Width() uint32 {
	h, err := im.use()
	if err != nil {
		return 0
	}
	return imageWidth(h)
}

func (im *Image) Height() uint32 {
	h, err := im.use()
	if err != nil {
		return 0
	}
	return imageHeight(h)
}

func (im *Image) PixelFormat() PixelFormat {
	h, err := im.use()
	if err != nil {
		return 0
	}
	return PixelFormat(imagePixelFormat(h))
}

// Layout gives width, height, format and the planes as the host stores them.
func (im *Image) Layout() Layout {
	h, err := im.use()
	if err != nil {
		return Layout{}
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	imageLayout(h, r.ptr())
	ptr, n := r.list(12)
	planes := make([]Plane, n)
	for i := range planes {
		e := guest(ptr + 8*uint32(i))
		planes[i] = Plane{Offset: loadU32(e, 0), StrideBytes: loadU32(e, 4)}
	}
	return Layout{Width: r.u32(0), Height: r.u32(4), PixelFormat: PixelFormat(r.u8(8)), Planes: planes}
}

func (im *Image) Crop(region Rect) (*Image, error) {
	h, err := im.use()
	if err != nil {
		return nil, err
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	imageCrop(h, region.X, region.Y, region.Width, region.Height, r.ptr())
	return imageResult(&r)
}

func (im *Image) Resize(width, height uint32, method ResizeMethod) (*Image, error) {
	h, err := im.use()
	if err != nil {
		return nil, err
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	imageResize(h, width, height, uint32(method), r.ptr())
	return imageResult(&r)
}

func (im *Image) Convert(format PixelFormat) (*Image, error) {
	h, err := im.use()
	if err != nil {
		return nil, err
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	imageConvert(h, uint32(format), r.ptr())
	return imageResult(&r)
}

// Encode encodes the image (the encoded bytes are copied into the guest).
func (im *Image) Encode(enc Encoding) ([]byte, error) {
	h, err := im.use()
	if err != nil {
		return nil, err
	}
	var tag, quality uint32
	if enc.Jpeg {
		tag, quality = 1, uint32(enc.Quality)
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	imageEncode(h, tag, quality, r.ptr())
	if r.u8(0) != 0 {
		return nil, liftVisionError(&r)
	}
	return r.bytes(4), nil
}

// Read copies pixels into the guest, tightly packed: all of them (region nil), or region.
func (im *Image) Read(region *Rect) ([]byte, error) {
	h, err := im.use()
	if err != nil {
		return nil, err
	}
	var has uint32
	var rc Rect
	if region != nil {
		has, rc = 1, *region
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	imageRead(h, has, rc.X, rc.Y, rc.Width, rc.Height, r.ptr())
	if r.u8(0) != 0 {
		return nil, liftVisionError(&r)
	}
	return r.bytes(4), nil
}

// ToTensor makes a wasi:nn tensor of the image (resized, reordered, normalised in the host).
func (im *Image) ToTensor(o TensorOptions) (*Tensor, error) {
	h, err := im.use()
	if err != nil {
		return nil, err
	}
	// normalization flattened: its tag, then four i32 slots (f32s as their bits, lists as ptr, len)
	var s [4]uint32
	nm := o.Normalization
	switch nm.Kind {
	case NormScaleOffset:
		s[0], s[1] = math.Float32bits(nm.Scale), math.Float32bits(nm.Offset)
	case NormMeanStd:
		s[0], s[1] = addr(unsafe.Pointer(unsafe.SliceData(nm.Mean))), uint32(len(nm.Mean))
		s[2], s[3] = addr(unsafe.Pointer(unsafe.SliceData(nm.Std))), uint32(len(nm.Std))
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	imageToTensor(h, o.Width, o.Height, uint32(o.ResizeMethod), uint32(o.TensorLayout), uint32(o.ElementType), uint32(o.Channels), uint32(nm.Kind), s[0], s[1], s[2], s[3], r.ptr())
	keep(nm.Mean)
	keep(nm.Std)
	if r.u8(0) != 0 {
		return nil, liftVisionError(&r)
	}
	return &Tensor{own(r.u32(4))}, nil
}

// DrawRect draws the outline of region, thickness pixels wide inside it (0 fills it).
func (im *Image) DrawRect(region Rect, c Color, thickness uint32) error {
	h, err := im.use()
	if err != nil {
		return err
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	imageDrawRect(h, region.X, region.Y, region.Width, region.Height, uint32(c.R), uint32(c.G), uint32(c.B), thickness, r.ptr())
	return visionUnit(&r)
}

// DrawPoints draws a filled square of side 2*radius+1 on each point.
func (im *Image) DrawPoints(points []Point, c Color, radius uint32) error {
	h, err := im.use()
	if err != nil {
		return err
	}
	var r retArea
	allocBegin()
	defer allocEnd()
	imageDrawPoints(h, unsafe.Pointer(unsafe.SliceData(points)), uint32(len(points)), uint32(c.R), uint32(c.G), uint32(c.B), radius, r.ptr())
	keep(points)
	return visionUnit(&r)
}

func (im *Image) Close() {
	if im.release() {
		imageDrop(im.handle)
	}
}

//! `wasi:vision/image@0.1.0-draft` (this project's proposal, docs/vision.md): images whose pixels
//! stay in the host, made from sensor frames, files or bytes, and turned into wasi:nn tensors.
use crate::abi::{self, f32_bits, load, resource, wit_enum, Ret};
use crate::buffer_pool::{DataType, FrameData};
use crate::nn::{Tensor, TensorType};
use std::fmt;

#[link(wasm_import_module = "wasi:vision/image@0.1.0-draft")]
extern "C" {
    #[link_name = "[static]image.from-encoded"]
    fn image_from_encoded(data: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[static]image.from-pixels"]
    fn image_from_pixels(
        width: u32,
        height: u32,
        format: i32,
        planes: *const u8,
        planes_len: usize,
        data: *const u8,
        len: usize,
        ret: *mut u8,
    );
    #[link_name = "[static]image.from-frame"]
    fn image_from_frame(tag: i32, a: i32, b: i32, c: i32, d: i32, e: i32, f: i32, g: i32, ret: *mut u8);
    #[link_name = "[method]image.width"]
    fn image_width(this: i32) -> u32;
    #[link_name = "[method]image.height"]
    fn image_height(this: i32) -> u32;
    #[link_name = "[method]image.pixel-format"]
    fn image_pixel_format(this: i32) -> i32;
    #[link_name = "[method]image.layout"]
    fn image_layout(this: i32, ret: *mut u8);
    #[link_name = "[method]image.crop"]
    fn image_crop(this: i32, x: u32, y: u32, w: u32, h: u32, ret: *mut u8);
    #[link_name = "[method]image.resize"]
    fn image_resize(this: i32, width: u32, height: u32, method: i32, ret: *mut u8);
    #[link_name = "[method]image.convert"]
    fn image_convert(this: i32, format: i32, ret: *mut u8);
    #[link_name = "[method]image.encode"]
    fn image_encode(this: i32, encoding: i32, quality: i32, ret: *mut u8);
    #[link_name = "[method]image.read"]
    fn image_read(this: i32, has_region: i32, x: u32, y: u32, w: u32, h: u32, ret: *mut u8);
    #[link_name = "[method]image.to-tensor"]
    fn image_to_tensor(
        this: i32,
        width: u32,
        height: u32,
        method: i32,
        layout: i32,
        element_type: i32,
        channels: i32,
        norm_tag: i32,
        s1: i32,
        s2: i32,
        s3: i32,
        s4: i32,
        ret: *mut u8,
    );
    #[link_name = "[method]image.draw-rect"]
    fn image_draw_rect(this: i32, x: u32, y: u32, w: u32, h: u32, r: i32, g: i32, b: i32, thickness: u32, ret: *mut u8);
    #[link_name = "[method]image.draw-points"]
    fn image_draw_points(this: i32, points: *const u8, len: usize, r: i32, g: i32, b: i32, radius: u32, ret: *mut u8);
    #[link_name = "[resource-drop]image"]
    fn image_drop(this: i32);
}

wit_enum! { "wasi:vision/image@0.1.0-draft" "pixel-format"
    /// Pixel layouts. The first seven are wasi:buffer-pool's, with the same ordinals.
    pub enum PixelFormat {
        Gray = "gray",
        Rgb24 = "rgb24",
        Bgr24 = "bgr24",
        Argb32 = "argb32",
        Abgr32 = "abgr32",
        Yuy2 = "yuy2",
        /// Accepted when creating an image (decoded to rgb24); never held by one.
        Mjpeg = "mjpeg",
        Rgba32 = "rgba32",
        Nv12 = "nv12",
        I420 = "i420",
    }
}

wit_enum! { "wasi:vision/image@0.1.0-draft" "resize-method"
    pub enum ResizeMethod {
        Nearest = "nearest",
        Bilinear = "bilinear",
        /// Area average: use it to shrink.
        Area = "area",
    }
}

wit_enum! { "wasi:vision/image@0.1.0-draft" "tensor-layout"
    /// Axis order of an image tensor (batch 1 first).
    pub enum TensorLayout {
        Nhwc = "nhwc",
        Nchw = "nchw",
    }
}

wit_enum! { "wasi:vision/image@0.1.0-draft" "channel-order"
    pub enum ChannelOrder {
        Rgb = "rgb",
        Bgr = "bgr",
        /// One channel: BT.601 luma.
        Gray = "gray",
    }
}

/// Where one plane starts and how far apart its rows are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Plane {
    pub offset: u32,
    pub stride_bytes: u32,
}

/// Geometry and memory layout of pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub pixel_format: PixelFormat,
    /// One per plane; empty when creating means tightly packed.
    pub planes: Vec<Plane>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Point {
    pub x: u32,
    pub y: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// An encoded image file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Png,
    /// Quality 1 to 100.
    Jpeg(u8),
}

/// How 8-bit samples become tensor values.
#[derive(Clone, Debug, PartialEq)]
pub enum Normalization {
    /// The sample itself (0 to 255).
    None,
    /// `sample * scale + offset`.
    ScaleOffset { scale: f32, offset: f32 },
    /// `(sample / 255 - mean[c]) / std[c]`, one entry per channel.
    MeanStd { mean: Vec<f32>, std: Vec<f32> },
}

/// What `to_tensor` produces.
#[derive(Clone, Debug, PartialEq)]
pub struct TensorOptions {
    /// Target size (0, 0 keeps the image's).
    pub width: u32,
    pub height: u32,
    pub resize_method: ResizeMethod,
    pub tensor_layout: TensorLayout,
    /// `U8` (with `Normalization::None`) or `Fp32`.
    pub element_type: TensorType,
    pub channels: ChannelOrder,
    pub normalization: Normalization,
}

/// Why a vision call failed; each case says what the guest can do about it (wit/deps/vision).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VisionError {
    InvalidArgument(String),
    OutOfBounds,
    UnsupportedFormat(PixelFormat),
    DecodeFailed(String),
    TooLarge,
    NotSupported(String),
    /// The frame's host memory is unknown, invalidated or released: read the next frame.
    StaleFrame,
}

impl VisionError {
    /// `vision-error` at offset 4 of a result's return area: its tag, the payload at 8.
    unsafe fn lift(ret: &Ret<16>) -> Self {
        match ret.u8(4) {
            0 => VisionError::InvalidArgument(ret.string(8)),
            1 => VisionError::OutOfBounds,
            2 => VisionError::UnsupportedFormat(PixelFormat::from_abi(ret.u8(8))),
            3 => VisionError::DecodeFailed(ret.string(8)),
            4 => VisionError::TooLarge,
            5 => VisionError::NotSupported(ret.string(8)),
            _ => VisionError::StaleFrame,
        }
    }
}

impl fmt::Display for VisionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VisionError::InvalidArgument(m) => write!(f, "invalid-argument: {m}"),
            VisionError::OutOfBounds => f.write_str("out-of-bounds"),
            VisionError::UnsupportedFormat(p) => write!(f, "unsupported-format: {p}"),
            VisionError::DecodeFailed(m) => write!(f, "decode-failed: {m}"),
            VisionError::TooLarge => f.write_str("too-large"),
            VisionError::NotSupported(m) => write!(f, "not-supported: {m}"),
            VisionError::StaleFrame => f.write_str("stale-frame"),
        }
    }
}
impl std::error::Error for VisionError {}

unsafe fn handle_result(ret: &Ret<16>) -> Result<i32, VisionError> {
    match ret.u8(0) {
        0 => Ok(ret.i32(4)),
        _ => Err(VisionError::lift(ret)),
    }
}

unsafe fn image_result(ret: &Ret<16>) -> Result<Image, VisionError> {
    handle_result(ret).map(|h| Image::from_handle(h))
}

unsafe fn unit_result(ret: &Ret<16>) -> Result<(), VisionError> {
    match ret.u8(0) {
        0 => Ok(()),
        _ => Err(VisionError::lift(ret)),
    }
}

unsafe fn bytes_result(ret: &Ret<16>) -> Result<Vec<u8>, VisionError> {
    match ret.u8(0) {
        0 => Ok(ret.bytes(4)),
        _ => Err(VisionError::lift(ret)),
    }
}

resource!(
    /// An image held by the host. Dropping it releases its pixels (and returns the frame buffer it
    /// was made from to its pool).
    Image,
    image_drop
);

impl Image {
    /// Decodes a PNG or JPEG file.
    pub fn from_encoded(data: &[u8]) -> Result<Image, VisionError> {
        let mut ret = Ret::<16>::new();
        unsafe {
            image_from_encoded(data.as_ptr(), data.len(), ret.ptr());
            image_result(&ret)
        }
    }

    /// Copies raw pixels described by `layout`.
    pub fn from_pixels(layout: &Layout, data: &[u8]) -> Result<Image, VisionError> {
        let (pp, pn) = abi::slice(&layout.planes);
        let mut ret = Ret::<16>::new();
        unsafe {
            image_from_pixels(
                layout.width,
                layout.height,
                layout.pixel_format as i32,
                pp,
                pn,
                data.as_ptr(),
                data.len(),
                ret.ptr(),
            );
            image_result(&ret)
        }
    }

    /// Takes a frame entry: a host-memory buffer is wrapped without a copy (and returns to its
    /// pool when the image is dropped); a by-value payload is copied.
    pub fn from_frame(data: FrameData) -> Result<Image, VisionError> {
        let mut ret = Ret::<16>::new();
        unsafe {
            match data {
                FrameData::HostMemory(m) => image_from_frame(1, m.into_handle(), 0, 0, 0, 0, 0, 0, ret.ptr()),
                FrameData::ByValue(DataType::Image(im)) => {
                    let d = im.dimension;
                    image_from_frame(
                        0,
                        0, // data-type: image
                        d.width as i32,
                        d.height as i32,
                        d.stride_bytes as i32,
                        d.pixel_format as i32,
                        im.payload.as_ptr() as i32,
                        im.payload.len() as i32,
                        ret.ptr(),
                    )
                }
            }
            image_result(&ret)
        }
    }

    pub fn width(&self) -> u32 {
        unsafe { image_width(self.handle) }
    }

    pub fn height(&self) -> u32 {
        unsafe { image_height(self.handle) }
    }

    pub fn pixel_format(&self) -> PixelFormat {
        PixelFormat::from_abi(unsafe { image_pixel_format(self.handle) } as u8)
    }

    /// Width, height, format and the planes as the host stores them.
    pub fn layout(&self) -> Layout {
        let mut ret = Ret::<20>::new();
        unsafe {
            image_layout(self.handle, ret.ptr());
            let (p, n) = ret.list(12);
            Layout {
                width: ret.u32(0),
                height: ret.u32(4),
                pixel_format: PixelFormat::from_abi(ret.u8(8)),
                planes: abi::take_records(p, n, 8, 4, |e| Plane { offset: load(e, 0), stride_bytes: load(e, 4) }),
            }
        }
    }

    pub fn crop(&self, region: Rect) -> Result<Image, VisionError> {
        let mut ret = Ret::<16>::new();
        unsafe {
            image_crop(self.handle, region.x, region.y, region.width, region.height, ret.ptr());
            image_result(&ret)
        }
    }

    pub fn resize(&self, width: u32, height: u32, method: ResizeMethod) -> Result<Image, VisionError> {
        let mut ret = Ret::<16>::new();
        unsafe {
            image_resize(self.handle, width, height, method as i32, ret.ptr());
            image_result(&ret)
        }
    }

    pub fn convert(&self, format: PixelFormat) -> Result<Image, VisionError> {
        let mut ret = Ret::<16>::new();
        unsafe {
            image_convert(self.handle, format as i32, ret.ptr());
            image_result(&ret)
        }
    }

    /// Encodes the image (the encoded bytes are copied into the guest).
    pub fn encode(&self, encoding: Encoding) -> Result<Vec<u8>, VisionError> {
        let (tag, quality) = match encoding {
            Encoding::Png => (0, 0),
            Encoding::Jpeg(q) => (1, q as i32),
        };
        let mut ret = Ret::<16>::new();
        unsafe {
            image_encode(self.handle, tag, quality, ret.ptr());
            bytes_result(&ret)
        }
    }

    /// Copies pixels into the guest, tightly packed: all of them, or `region`.
    pub fn read(&self, region: Option<Rect>) -> Result<Vec<u8>, VisionError> {
        let (has, r) = match region {
            Some(r) => (1, r),
            None => (0, Rect { x: 0, y: 0, width: 0, height: 0 }),
        };
        let mut ret = Ret::<16>::new();
        unsafe {
            image_read(self.handle, has, r.x, r.y, r.width, r.height, ret.ptr());
            bytes_result(&ret)
        }
    }

    /// A wasi:nn tensor of the image (resized, reordered, normalised in the host).
    pub fn to_tensor(&self, options: &TensorOptions) -> Result<Tensor, VisionError> {
        // normalization flattened: its tag, then four i32 slots (f32s as their bits, lists as ptr, len)
        let (tag, s) = match &options.normalization {
            Normalization::None => (0, [0; 4]),
            Normalization::ScaleOffset { scale, offset } => (1, [f32_bits(*scale), f32_bits(*offset), 0, 0]),
            Normalization::MeanStd { mean, std } => {
                (2, [mean.as_ptr() as i32, mean.len() as i32, std.as_ptr() as i32, std.len() as i32])
            }
        };
        let o = options;
        let mut ret = Ret::<16>::new();
        unsafe {
            image_to_tensor(
                self.handle,
                o.width,
                o.height,
                o.resize_method as i32,
                o.tensor_layout as i32,
                o.element_type as i32,
                o.channels as i32,
                tag,
                s[0],
                s[1],
                s[2],
                s[3],
                ret.ptr(),
            );
            handle_result(&ret).map(|h| Tensor::from_handle(h))
        }
    }

    /// Draws the outline of `region`, `thickness` pixels wide inside it (0 fills it).
    pub fn draw_rect(&self, region: Rect, color: Color, thickness: u32) -> Result<(), VisionError> {
        let c = color;
        let mut ret = Ret::<16>::new();
        unsafe {
            image_draw_rect(
                self.handle,
                region.x,
                region.y,
                region.width,
                region.height,
                c.r as i32,
                c.g as i32,
                c.b as i32,
                thickness,
                ret.ptr(),
            );
            unit_result(&ret)
        }
    }

    /// Draws a filled square of side `2 * radius + 1` on each point.
    pub fn draw_points(&self, points: &[Point], color: Color, radius: u32) -> Result<(), VisionError> {
        let (p, n) = abi::slice(points);
        let c = color;
        let mut ret = Ret::<16>::new();
        unsafe {
            image_draw_points(self.handle, p, n, c.r as i32, c.g as i32, c.b as i32, radius, ret.ptr());
            unit_result(&ret)
        }
    }
}

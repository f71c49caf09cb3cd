/// <reference path="./wasi-buffer-pool-buffer-pool.d.ts" />
/// <reference path="./wasi-nn-tensor.d.ts" />
declare module 'wasi:vision/image@0.1.0-draft' {
  export type FrameData = import('wasi:buffer-pool/buffer-pool').FrameData;
  export type Tensor = import('wasi:nn/tensor@0.2.0-rc-2024-10-28').Tensor;
  export type TensorType = import('wasi:nn/tensor@0.2.0-rc-2024-10-28').TensorType;
  /**
   * How pixels are laid out in memory.
   * 
   * The first seven cases are `wasi:buffer-pool/data-types.pixel-format`, with the same names in
   * the same order (so the same ordinals): a buffer-pool format converts by value. That enum
   * belongs to another proposal and cannot grow, so the formats it lacks are appended here.
   * # Variants
   * 
   * ## `"gray"`
   * 
   * 8-bit luma, one byte per pixel.
   * ## `"rgb24"`
   * 
   * r, g, b: three bytes per pixel.
   * ## `"bgr24"`
   * 
   * b, g, r: three bytes per pixel.
   * ## `"argb32"`
   * 
   * a, r, g, b: four bytes per pixel.
   * ## `"abgr32"`
   * 
   * a, b, g, r: four bytes per pixel.
   * ## `"yuy2"`
   * 
   * YUV 4:2:2 packed, y0 u y1 v for each pair of pixels (BT.601, limited range).
   * ## `"mjpeg"`
   * 
   * A JPEG bitstream. Accepted when creating an image (it is decoded to `rgb24`);
   * an image never holds this format: use `encode` to produce JPEG.
   * ## `"rgba32"`
   * 
   * r, g, b, a: four bytes per pixel (the order of WebCodecs `RGBA`, canvas `ImageData`).
   * ## `"nv12"`
   * 
   * YUV 4:2:0 semi-planar: a luma plane, then one plane of interleaved u, v at half
   * width and half height (rounded up). BT.601, limited range.
   * ## `"i420"`
   * 
   * YUV 4:2:0 planar: a luma plane, a u plane and a v plane, the chroma planes at half
   * width and half height (rounded up). BT.601, limited range.
   */
  export type PixelFormat = 'gray' | 'rgb24' | 'bgr24' | 'argb32' | 'abgr32' | 'yuy2' | 'mjpeg' | 'rgba32' | 'nv12' | 'i420';
  /**
   * Where one plane starts in a buffer and how far apart its rows are.
   */
  export interface Plane {
    /**
     * Byte offset of the plane's first row from the start of the buffer.
     */
    offset: number,
    /**
     * Bytes from the start of one row to the start of the next; at least the row's length.
     */
    strideBytes: number,
  }
  /**
   * The geometry and memory layout of pixels.
   */
  export interface Layout {
    width: number,
    height: number,
    pixelFormat: PixelFormat,
    /**
     * One entry per plane: 1 for packed formats, 2 for `nv12`, 3 for `i420` (y, u, v).
     * When creating an image, an empty list means tightly packed planes one after another.
     * Images report their planes as the host stores them (read them with `read` instead).
     */
    planes: Array<Plane>,
  }
  /**
   * A rectangle in pixels; `x`, `y` is the top-left corner.
   */
  export interface Rect {
    x: number,
    y: number,
    width: number,
    height: number,
  }
  /**
   * A pixel position.
   */
  export interface Point {
    x: number,
    y: number,
  }
  /**
   * An sRGB colour; drawing converts it to the image's pixel format (alpha channels get 255).
   */
  export interface Color {
    r: number,
    g: number,
    b: number,
  }
  /**
   * How `resize` computes a destination pixel. Pixel centres are at half-integer positions
   * (OpenCV, Pillow and TensorFlow `half_pixel_centers` agree on this).
   * # Variants
   * 
   * ## `"nearest"`
   * 
   * The source pixel whose centre is nearest; no new values.
   * ## `"bilinear"`
   * 
   * Linear interpolation of the 2x2 nearest source pixels, edges clamped.
   * ## `"area"`
   * 
   * The mean of the source area the destination pixel covers, weighted by overlap
   * (use it to shrink: no aliasing).
   */
  export type ResizeMethod = 'nearest' | 'bilinear' | 'area';
  /**
   * An encoded image file.
   */
  export type Encoding = EncodingPng | EncodingJpeg;
  /**
   * PNG, lossless.
   */
  export interface EncodingPng {
    tag: 'png',
  }
  /**
   * Baseline JPEG; the quality is 1 to 100.
   */
  export interface EncodingJpeg {
    tag: 'jpeg',
    val: number,
  }
  /**
   * Axis order of an image tensor (the batch axis, always 1, comes first).
   * # Variants
   * 
   * ## `"nhwc"`
   * 
   * [1, height, width, channels]
   * ## `"nchw"`
   * 
   * [1, channels, height, width]
   */
  export type TensorLayout = 'nhwc' | 'nchw';
  /**
   * The channels of a tensor and their order.
   * # Variants
   * 
   * ## `"rgb"`
   * 
   * ## `"bgr"`
   * 
   * ## `"gray"`
   * 
   * One channel: BT.601 luma.
   */
  export type ChannelOrder = 'rgb' | 'bgr' | 'gray';
  /**
   * `value = sample * scale + offset`, for every channel.
   */
  export interface ScaleOffset {
    scale: number,
    offset: number,
  }
  /**
   * `value = (sample / 255 - mean[c]) / std[c]`, one entry per tensor channel, in the tensor's
   * channel order (ImageNet: mean 0.485 0.456 0.406, std 0.229 0.224 0.225 for rgb).
   */
  export interface MeanStd {
    mean: Float32Array,
    std: Float32Array,
  }
  /**
   * How 8-bit samples become tensor values.
   */
  export type Normalization = NormalizationNone | NormalizationScaleOffset | NormalizationMeanStd;
  /**
   * The sample itself (0 to 255).
   */
  export interface NormalizationNone {
    tag: 'none',
  }
  export interface NormalizationScaleOffset {
    tag: 'scale-offset',
    val: ScaleOffset,
  }
  export interface NormalizationMeanStd {
    tag: 'mean-std',
    val: MeanStd,
  }
  /**
   * What `to-tensor` produces.
   */
  export interface TensorOptions {
    /**
     * Target width and height: the image is resized to them (0, 0 keeps the image's size).
     */
    width: number,
    height: number,
    /**
     * How to resize when the size changes.
     */
    resizeMethod: ResizeMethod,
    tensorLayout: TensorLayout,
    /**
     * `U8` (normalization must be `none`) or `FP32`.
     */
    elementType: TensorType,
    channels: ChannelOrder,
    normalization: Normalization,
  }
  /**
   * Why a call failed; each case says what the guest can do about it.
   */
  export type VisionError = VisionErrorInvalidArgument | VisionErrorOutOfBounds | VisionErrorUnsupportedFormat | VisionErrorDecodeFailed | VisionErrorTooLarge | VisionErrorNotSupported | VisionErrorStaleFrame;
  /**
   * An argument is malformed (zero size, data shorter than the layout, bad plane list,
   * misaligned chroma crop, wrong number of mean/std entries); the message says which.
   * Fix the call.
   */
  export interface VisionErrorInvalidArgument {
    tag: 'invalid-argument',
    val: string,
  }
  /**
   * A rectangle or point lies outside the image. Clamp it to `width`/`height` and retry.
   */
  export interface VisionErrorOutOfBounds {
    tag: 'out-of-bounds',
  }
  /**
   * The pixel format cannot be used for this operation (e.g. `convert` to `mjpeg`).
   * Choose another format.
   */
  export interface VisionErrorUnsupportedFormat {
    tag: 'unsupported-format',
    val: PixelFormat,
  }
  /**
   * The encoded bytes are not a PNG or JPEG this host can decode; the message says why.
   * Drop the input.
   */
  export interface VisionErrorDecodeFailed {
    tag: 'decode-failed',
    val: string,
  }
  /**
   * The image or input exceeds this host's configured limits (pixels or bytes).
   * Work on a smaller image or crop first.
   */
  export interface VisionErrorTooLarge {
    tag: 'too-large',
  }
  /**
   * This host does not offer what the call needs (no wasi:nn, no sensor frames, a tensor
   * element type other than U8/FP32); the message says what. Fall back or give up.
   */
  export interface VisionErrorNotSupported {
    tag: 'not-supported',
    val: string,
  }
  /**
   * The frame's host memory is unknown to this host, or was invalidated or released.
   * Read the next frame.
   */
  export interface VisionErrorStaleFrame {
    tag: 'stale-frame',
  }
  
  export class Image implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Decodes a PNG or JPEG file (recognised by its signature).
    */
    static fromEncoded(data: Uint8Array): Image;
    /**
    * Copies raw pixels described by `layout` (strides and plane offsets honoured).
    * `mjpeg` data is decoded.
    */
    static fromPixels(layout: Layout, data: Uint8Array): Image;
    /**
    * Takes a `wasi:buffer-pool` frame. `host-memory`: the image wraps the frame's buffer
    * without copying it, and owns it: the buffer returns to its pool when the image (and
    * every image cropped from it) is dropped. `by-value`: the payload is copied.
    */
    static fromFrame(data: FrameData): Image;
    width(): number;
    height(): number;
    pixelFormat(): PixelFormat;
    /**
    * Width, height, format and the planes as stored.
    */
    layout(): Layout;
    /**
    * A rectangle of this image. Chroma is never split: for `yuy2` the rectangle's x must be
    * even, for `nv12` and `i420` both x and y. The host may share pixels with this image.
    */
    crop(region: Rect): Image;
    /**
    * A new image of `width` x `height` in the same pixel format.
    */
    resize(width: number, height: number, method: ResizeMethod): Image;
    /**
    * A new image in `format` (BT.601 limited range between RGB and YUV; alpha 255 when added,
    * dropped when removed; gray is BT.601 luma).
    */
    convert(format: PixelFormat): Image;
    /**
    * Encodes the image; this copies the encoded bytes into the guest.
    */
    encode(encoding: Encoding): Uint8Array;
    /**
    * Copies pixels into the guest, tightly packed in the image's format (planes one after
    * another), the whole image or `region` of it (same alignment rules as `crop`).
    */
    read(region: Rect | undefined): Uint8Array;
    /**
    * Makes a wasi:nn tensor of the image (resized, channels reordered, normalised) without
    * the pixels entering the guest.
    */
    toTensor(options: TensorOptions): Tensor;
    /**
    * Draws the outline of `region` with lines `thickness` pixels wide, inside the rectangle
    * (0 fills it). Parts outside the image are clipped; a rectangle wholly outside is
    * `out-of-bounds`.
    */
    drawRect(region: Rect, color: Color, thickness: number): void;
    /**
    * Draws a filled square of side 2 * radius + 1 centred on each point, clipped to the image.
    * If any point lies outside the image nothing is drawn and the result is `out-of-bounds`.
    */
    drawPoints(points: Array<Point>, color: Color, radius: number): void;
    [Symbol.dispose](): void;
  }
}

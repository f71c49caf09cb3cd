declare module 'wasi:buffer-pool/data-types' {
  export interface Vector3f {
    x: number,
    y: number,
    z: number,
  }
  export interface QuaternionF {
    x: number,
    y: number,
    z: number,
    w: number,
  }
  /**
   * Packed pixel layouts; bytes in the order the name gives.
   * # Variants
   * 
   * ## `"gray"`
   * 
   * one byte per pixel
   * ## `"rgb24"`
   * 
   * r, g, b
   * ## `"bgr24"`
   * 
   * b, g, r
   * ## `"argb32"`
   * 
   * a, r, g, b
   * ## `"abgr32"`
   * 
   * a, b, g, r
   * ## `"yuy2"`
   * 
   * YUV 4:2:2, y0 u y1 v for each pair of pixels
   * ## `"mjpeg"`
   * 
   * one JPEG image per frame
   */
  export type PixelFormat = 'gray' | 'rgb24' | 'bgr24' | 'argb32' | 'abgr32' | 'yuy2' | 'mjpeg';
  export interface Dimension {
    width: number,
    height: number,
    /**
     * Bytes from the start of one row to the next; 0 for compressed formats.
     */
    strideBytes: number,
    pixelFormat: PixelFormat,
  }
  export interface Image {
    dimension: Dimension,
    payload: Uint8Array,
  }
  export interface Depth {
    payload: Uint8Array,
  }
  export type DataType = DataTypeImage;
  export interface DataTypeImage {
    tag: 'image',
    val: Image,
  }
}

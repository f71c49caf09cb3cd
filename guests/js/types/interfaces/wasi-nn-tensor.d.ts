declare module 'wasi:nn/tensor@0.2.0-rc-2024-10-28' {
  /**
   * One entry per axis, outermost first.
   */
  export type TensorDimensions = Uint32Array;
  /**
   * # Variants
   * 
   * ## `"FP16"`
   * 
   * ## `"FP32"`
   * 
   * ## `"FP64"`
   * 
   * ## `"BF16"`
   * 
   * ## `"U8"`
   * 
   * ## `"I32"`
   * 
   * ## `"I64"`
   */
  export type TensorType = 'FP16' | 'FP32' | 'FP64' | 'BF16' | 'U8' | 'I32' | 'I64';
  /**
   * Row-major element bytes, little-endian; product(dimensions) * element size of them.
   */
  export type TensorData = Uint8Array;
  
  export class Tensor implements Disposable {
    constructor(dimensions: TensorDimensions, ty: TensorType, data: TensorData)
    dimensions(): TensorDimensions;
    ty(): TensorType;
    data(): TensorData;
    [Symbol.dispose](): void;
  }
}

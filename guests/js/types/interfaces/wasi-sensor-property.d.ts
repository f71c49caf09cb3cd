/// <reference path="./wasi-buffer-pool-data-types.d.ts" />
declare module 'wasi:sensor/property' {
  export type Dimension = import('wasi:buffer-pool/data-types').Dimension;
  export interface Fraction {
    numerator: number,
    denominator: number,
  }
  /**
   * # Variants
   * 
   * ## `"sampling-rate"`
   * 
   * Samples per second as a fraction; the frame rate of a camera.
   * ## `"dimension"`
   * 
   * Width, height, stride and pixel format of the frames.
   */
  export type PropertyKey = 'sampling-rate' | 'dimension';
  export type PropertyValue = PropertyValueFraction | PropertyValueDimension;
  export interface PropertyValueFraction {
    tag: 'fraction',
    val: Fraction,
  }
  export interface PropertyValueDimension {
    tag: 'dimension',
    val: Dimension,
  }
}

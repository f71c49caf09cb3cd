/** What a decoder returns, and how it fails. */

/** A decoded image: tightly packed rows of gray (1 byte), rgb24 (3) or rgba32 (4). */
export interface DecodedImage {
  width: number;
  height: number;
  format: 'gray' | 'rgb24' | 'rgba32';
  data: Uint8Array;
}

/**
 * A file that cannot be decoded (`decode-failed`) or is larger than the caller allows (`too-large`).
 * Callers map the code to their own error (wasi:vision's `vision-error`, a sensor config error).
 */
export type CodecFailureCode = 'decode-failed' | 'too-large';

export class CodecFailure extends Error {
  constructor(
    readonly code: CodecFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'CodecFailure';
  }
}

export function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) throw new CodecFailure('too-large', `${width}x${height} exceeds the limit of ${maxPixels} pixels`);
}

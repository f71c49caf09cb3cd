/**
 * How vision ops report a failure caused by their input. The provider maps each code to the
 * matching `vision-error` case; the ops themselves know nothing of WIT.
 */
export type VisionFailureCode =
  | 'invalid-argument'
  | 'out-of-bounds'
  | 'unsupported-format'
  | 'decode-failed'
  | 'too-large'
  | 'not-supported'
  | 'stale-frame';

export class VisionFailure extends Error {
  constructor(
    readonly code: VisionFailureCode,
    message: string,
    /** For `unsupported-format`: the format that was refused. */
    readonly format?: string,
  ) {
    super(message);
    this.name = 'VisionFailure';
  }
}

/**
 * The one failure-class pattern of the layers below a provider (buses, devices, engines, queues).
 * They know nothing of WIT: they throw a subclass of CodedFailure whose code is spelled in their
 * interface's vocabulary, and that interface's provider.ts turns the code into its WIT error value.
 * A subclass adds only its code type and its `name` (and, where it has one, its throw helper).
 */
export class CodedFailure<Code extends string> extends Error {
  readonly code: Code;
  /** The OS error name when the failure came from the OS (a Linux backend: `ENXIO`, …). */
  readonly errno: string | undefined;

  constructor(code: Code, message: string, options: { errno?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.errno = options.errno;
  }
}

/** A throw helper: `fail('timeout', 'no answer in 30 s')`. Declared with this type so the compiler knows it never returns. */
export type Fail<Code extends string> = (code: Code, message: string) => never;

/** The throw helper of a CodedFailure subclass, for the layers that throw it often. */
export function failWith<Code extends string>(Failure: new (code: Code, message: string) => CodedFailure<Code>): Fail<Code> {
  return (code, message) => {
    throw new Failure(code, message);
  };
}

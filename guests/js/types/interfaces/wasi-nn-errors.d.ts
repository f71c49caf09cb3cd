declare module 'wasi:nn/errors@0.2.0-rc-2024-10-28' {
  /**
   * # Variants
   * 
   * ## `"invalid-argument"`
   * 
   * ## `"invalid-encoding"`
   * 
   * ## `"timeout"`
   * 
   * ## `"runtime-error"`
   * 
   * ## `"unsupported-operation"`
   * 
   * ## `"too-large"`
   * 
   * ## `"not-found"`
   * 
   * ## `"security"`
   * 
   * ## `"unknown"`
   */
  export type ErrorCode = 'invalid-argument' | 'invalid-encoding' | 'timeout' | 'runtime-error' | 'unsupported-operation' | 'too-large' | 'not-found' | 'security' | 'unknown';
  
  export class Error implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    code(): ErrorCode;
    /**
    * Details for people, e.g. the backend's own message.
    */
    data(): string;
    [Symbol.dispose](): void;
  }
}

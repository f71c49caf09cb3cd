declare module 'wasi:i2c/delay@0.2.0-draft' {
  
  export class Delay implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Waits at least `ns` nanoseconds (longer when the host's timer is coarser).
    */
    delayNs(ns: number): void;
    [Symbol.dispose](): void;
  }
}

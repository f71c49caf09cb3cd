declare module 'wasi:spi/spi' {
  /**
   * Opens a device by the logical name the host gave it.
   */
  export function open(name: string): SpiDevice;
  export type Error = ErrorOverrun | ErrorModeFault | ErrorFrameFormat | ErrorChipSelectFault | ErrorOther;
  export interface ErrorOverrun {
    tag: 'overrun',
  }
  export interface ErrorModeFault {
    tag: 'mode-fault',
  }
  export interface ErrorFrameFormat {
    tag: 'frame-format',
  }
  export interface ErrorChipSelectFault {
    tag: 'chip-select-fault',
  }
  /**
   * Everything else, with a message for people.
   */
  export interface ErrorOther {
    tag: 'other',
    val: string,
  }
  /**
   * One step of a `transaction`; chip select stays asserted across all of them.
   */
  export type Operation = OperationRead | OperationWrite | OperationTransfer | OperationDelayNs;
  export interface OperationRead {
    tag: 'read',
    val: bigint,
  }
  export interface OperationWrite {
    tag: 'write',
    val: Uint8Array,
  }
  /**
   * Full duplex: as many bytes are read as are written.
   */
  export interface OperationTransfer {
    tag: 'transfer',
    val: Uint8Array,
  }
  export interface OperationDelayNs {
    tag: 'delay-ns',
    val: number,
  }
  /**
   * One entry per operation, in the same order.
   */
  export type OperationResult = OperationResultRead | OperationResultWrite | OperationResultTransfer | OperationResultDelay;
  export interface OperationResultRead {
    tag: 'read',
    val: Uint8Array,
  }
  export interface OperationResultWrite {
    tag: 'write',
  }
  export interface OperationResultTransfer {
    tag: 'transfer',
    val: Uint8Array,
  }
  export interface OperationResultDelay {
    tag: 'delay',
  }
  
  export class SpiDevice implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Each of `read`, `write` and `transfer` asserts chip select and releases it after.
    */
    read(len: bigint): Uint8Array;
    write(data: Uint8Array): void;
    transfer(data: Uint8Array): Uint8Array;
    /**
    * Chip select asserted before the first operation and released after the last,
    * or at once when one fails.
    */
    transaction(operations: Array<Operation>): Array<OperationResult>;
    [Symbol.dispose](): void;
  }
}

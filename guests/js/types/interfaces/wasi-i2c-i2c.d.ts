declare module 'wasi:i2c/i2c@0.2.0-draft' {
  /**
   * A 7-bit address, or a 10-bit one on buses configured for it.
   */
  export type Address = number;
  /**
   * # Variants
   * 
   * ## `"address"`
   * 
   * The address byte was not acknowledged: usually no device there.
   * ## `"data"`
   * 
   * A data byte was not acknowledged: the device is busy or refused it.
   * ## `"unknown"`
   * 
   * The controller cannot tell which.
   */
  export type NoAcknowledgeSource = 'address' | 'data' | 'unknown';
  export type ErrorCode = ErrorCodeBus | ErrorCodeArbitrationLoss | ErrorCodeNoAcknowledge | ErrorCodeOverrun | ErrorCodeOther;
  /**
   * Misplaced START or STOP condition.
   */
  export interface ErrorCodeBus {
    tag: 'bus',
  }
  /**
   * Another controller won the bus.
   */
  export interface ErrorCodeArbitrationLoss {
    tag: 'arbitration-loss',
  }
  /**
   * No ACK, and where it was missing when the controller can tell.
   */
  export interface ErrorCodeNoAcknowledge {
    tag: 'no-acknowledge',
    val: NoAcknowledgeSource,
  }
  /**
   * The receive buffer overflowed.
   */
  export interface ErrorCodeOverrun {
    tag: 'overrun',
  }
  /**
   * Anything else.
   */
  export interface ErrorCodeOther {
    tag: 'other',
  }
  /**
   * One step of a `transaction`.
   */
  export type Operation = OperationRead | OperationWrite;
  export interface OperationRead {
    tag: 'read',
    val: bigint,
  }
  export interface OperationWrite {
    tag: 'write',
    val: Uint8Array,
  }
  
  export class I2c implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * All operations in one bus transaction: repeated START between them, one STOP at the end.
    */
    transaction(address: Address, operations: Array<Operation>): Array<Uint8Array>;
    read(address: Address, len: bigint): Uint8Array;
    write(address: Address, data: Uint8Array): void;
    /**
    * A write, a repeated START and a read, with no STOP in between.
    */
    writeRead(address: Address, write: Uint8Array, readLen: bigint): Uint8Array;
    [Symbol.dispose](): void;
  }
}

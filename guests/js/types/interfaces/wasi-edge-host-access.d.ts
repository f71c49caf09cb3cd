/// <reference path="./wasi-i2c-delay.d.ts" />
/// <reference path="./wasi-i2c-i2c.d.ts" />
declare module 'wasi-edge:host/access@0.1.0' {
  /**
   * Names of the I2C buses this guest may open.
   */
  export function listI2cBuses(): Array<string>;
  /**
   * Opens a configured I2C bus by name. Each call returns a new handle.
   */
  export function openI2c(name: string): I2c;
  /**
   * A delay provider (waits without spinning).
   */
  export function getDelay(): Delay;
  export type I2c = import('wasi:i2c/i2c@0.2.0-draft').I2c;
  export type Delay = import('wasi:i2c/delay@0.2.0-draft').Delay;
  export type AccessError = AccessErrorNotFound | AccessErrorPermissionDenied | AccessErrorUnavailable;
  /**
   * No bus with that name is configured.
   */
  export interface AccessErrorNotFound {
    tag: 'not-found',
  }
  /**
   * The bus exists but this guest's configuration does not grant it.
   */
  export interface AccessErrorPermissionDenied {
    tag: 'permission-denied',
  }
  /**
   * The bus is configured but could not be opened; the message says why.
   */
  export interface AccessErrorUnavailable {
    tag: 'unavailable',
    val: string,
  }
}

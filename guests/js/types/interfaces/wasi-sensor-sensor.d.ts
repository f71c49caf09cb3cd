/// <reference path="./wasi-sensor-property.d.ts" />
declare module 'wasi:sensor/sensor' {
  export type PropertyKey = import('wasi:sensor/property').PropertyKey;
  export type PropertyValue = import('wasi:sensor/property').PropertyValue;
  /**
   * # Variants
   * 
   * ## `"not-found"`
   * 
   * ## `"invalid-argument"`
   * 
   * ## `"resource-exhausted"`
   * 
   * ## `"permission-denied"`
   * 
   * ## `"busy"`
   * 
   * ## `"timeout"`
   * 
   * ## `"cancelled"`
   * 
   * ## `"aborted"`
   * 
   * ## `"already-exists"`
   * 
   * ## `"invalid-operation"`
   * 
   * ## `"out-of-range"`
   * 
   * ## `"data-loss"`
   * 
   * ## `"hardware-error"`
   * 
   * ## `"not-supported"`
   * 
   * ## `"unknown"`
   */
  export type DeviceError = 'not-found' | 'invalid-argument' | 'resource-exhausted' | 'permission-denied' | 'busy' | 'timeout' | 'cancelled' | 'aborted' | 'already-exists' | 'invalid-operation' | 'out-of-range' | 'data-loss' | 'hardware-error' | 'not-supported' | 'unknown';
  
  export class Device implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Opens a device by one of the names `list-names` returns.
    */
    static open(name: string): Device;
    /**
    * The devices this guest may open.
    */
    static listNames(): Array<string>;
    /**
    * Starts delivering frames into the pool with this name.
    */
    start(bufferPool: string): void;
    /**
    * Stops delivering frames.
    */
    stop(): void;
    setProperty(key: PropertyKey, value: PropertyValue): void;
    getProperty(property: PropertyKey): PropertyValue;
    [Symbol.dispose](): void;
  }
}

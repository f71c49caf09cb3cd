declare module 'wasi:config/store@0.2.0-rc.1' {
  /**
   * The value stored under `key`, or `none` when there is no such key.
   */
  export function get(key: string): string | undefined;
  /**
   * Every key and its value.
   */
  export function getAll(): Array<[string, string]>;
  /**
   * Why a value could not be read. Both cases carry a human-readable message.
   */
  export type Error = ErrorUpstream | ErrorIo;
  /**
   * The source behind the store (a file, a remote service) failed.
   */
  export interface ErrorUpstream {
    tag: 'upstream',
    val: string,
  }
  /**
   * Reading the source failed at the I/O level.
   */
  export interface ErrorIo {
    tag: 'io',
    val: string,
  }
}

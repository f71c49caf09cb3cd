declare module 'wasi:messaging/types@0.2.0-draft' {
  /**
   * Key-value pairs carried beside a message's data (MQTT 5 user properties here).
   */
  export type Metadata = Array<[string, string]>;
  /**
   * Where a message goes or came from (an MQTT topic here).
   */
  export type Topic = string;
  /**
   * What can go wrong.
   */
  export type Error = ErrorTimeout | ErrorConnection | ErrorPermissionDenied | ErrorOther;
  /**
   * Nothing arrived in time.
   */
  export interface ErrorTimeout {
    tag: 'timeout',
  }
  /**
   * The connection failed or was refused; the message says why.
   */
  export interface ErrorConnection {
    tag: 'connection',
    val: string,
  }
  /**
   * The guest may not do this (a topic it was not granted, say).
   */
  export interface ErrorPermissionDenied {
    tag: 'permission-denied',
    val: string,
  }
  /**
   * Anything else, with a message.
   */
  export interface ErrorOther {
    tag: 'other',
    val: string,
  }
  
  export class Client implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    static connect(name: string): Client;
    disconnect(): void;
    [Symbol.dispose](): void;
  }
  
  export class Message implements Disposable {
    constructor(data: Uint8Array)
    /**
    * The topic a received message came on; `none` for a message the guest made.
    */
    topic(): Topic | undefined;
    contentType(): string | undefined;
    setContentType(contentType: string): void;
    data(): Uint8Array;
    /**
    * Replaces the data.
    */
    setData(data: Uint8Array): void;
    metadata(): Metadata | undefined;
    /**
    * Sets `key` to `value`, replacing an earlier value of the same key.
    */
    addMetadata(key: string, value: string): void;
    /**
    * Replaces all metadata.
    */
    setMetadata(meta: Metadata): void;
    removeMetadata(key: string): void;
    [Symbol.dispose](): void;
  }
}

/// <reference path="./wasi-messaging-types.d.ts" />
declare module 'wasi:messaging/request-reply@0.2.0-draft' {
  /**
   * Sends `message` to `topic` and blocks for replies: returns when the expected number
   * arrived, or at the timeout with those that did (an error when none did).
   */
  export function request(c: Client, topic: Topic, message: Message, options: RequestOptions | undefined): Array<Message>;
  /**
   * Answers a received message (may be called more than once, or not at all).
   */
  export function reply(replyTo: Message, message: Message): void;
  export type Client = import('wasi:messaging/types@0.2.0-draft').Client;
  export type Message = import('wasi:messaging/types@0.2.0-draft').Message;
  export type Error = import('wasi:messaging/types@0.2.0-draft').Error;
  export type Topic = import('wasi:messaging/types@0.2.0-draft').Topic;
  
  export class RequestOptions implements Disposable {
    /**
    * No timeout, one reply.
    */
    constructor()
    /**
    * Wait at most this long.
    */
    setTimeoutMs(timeoutMs: number): void;
    /**
    * Return as soon as this many replies arrived.
    */
    setExpectedReplies(expectedReplies: number): void;
    [Symbol.dispose](): void;
  }
}

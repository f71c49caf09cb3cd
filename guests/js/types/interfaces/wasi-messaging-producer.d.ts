/// <reference path="./wasi-messaging-types.d.ts" />
declare module 'wasi:messaging/producer@0.2.0-draft' {
  /**
   * Sends `message` to `topic` through client `c`.
   */
  export function send(c: Client, topic: Topic, message: Message): void;
  export type Client = import('wasi:messaging/types@0.2.0-draft').Client;
  export type Message = import('wasi:messaging/types@0.2.0-draft').Message;
  export type Error = import('wasi:messaging/types@0.2.0-draft').Error;
  export type Topic = import('wasi:messaging/types@0.2.0-draft').Topic;
}

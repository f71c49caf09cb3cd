/**
 * Stands in for Node-only modules (`node:worker_threads`, `node:crypto`, `node:child_process`)
 * in the browser build. Only code paths that a browser configuration cannot select import them
 * (Linux buses, the ffmpeg camera's child process), so using anything here is a host bug.
 */
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser build of wasi-edge-host`);
}
export class Worker {
  constructor() {
    unavailable('node:worker_threads Worker');
  }
}
export const MessageChannel = globalThis.MessageChannel;
export const receiveMessageOnPort = (): never => unavailable('receiveMessageOnPort');
export const workerData = undefined;
export const createHash = (): never => unavailable('node:crypto createHash');
export const spawn = (): never => unavailable('node:child_process spawn');
export default {};

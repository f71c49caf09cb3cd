/**
 * The component worker's line to the page: devices that need the page (the webcam: getUserMedia
 * exists only on a window) post requests here. Posting never waits, so it is allowed while the
 * component is inside a synchronous import; answers come back through shared memory.
 */
type Post = (message: unknown, transfer?: Transferable[]) => void;

let post: Post | undefined;

export function setPageLink(p: Post | undefined): void {
  post = p;
}

export function postToPage(message: unknown, transfer: Transferable[] = []): void {
  if (!post) throw new Error('no page link: this device needs the component to run in a worker started by runComponent()');
  post(message, transfer);
}

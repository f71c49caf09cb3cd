/**
 * `node:url` for the browser build. Interface code finds its bundled fixtures with
 * `fileURLToPath(new URL('../../fixtures/…', import.meta.url))`; in a bundle served from the
 * repository's `dist/web/` that URL is `http://host/fixtures/…`, and its path names the same
 * file in the in-memory tree (src/platform/browser/shims/fs.ts) when the page mounts it there.
 */
export function fileURLToPath(url: string | URL): string {
  return decodeURIComponent(new URL(String(url)).pathname);
}

export function pathToFileURL(path: string): URL {
  return new URL('file://' + encodeURI(path));
}

export const URL_ = globalThis.URL;
export default { fileURLToPath, pathToFileURL };

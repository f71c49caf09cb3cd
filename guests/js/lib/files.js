// Writing a file by its guest path (wasi:filesystem): the path is resolved against the preopened
// directory it lies in, as wasi-libc's fopen does for C guests.
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';
import { EdgeError, call, drop } from './errors.js';

/** @type {Array<[import('wasi:filesystem/types@0.2.12').Descriptor, string]> | undefined} */
let preopens;

/**
 * The preopen that holds `path` (the longest matching prefix) and the path inside it.
 * @param {string} path
 */
function locate(path) {
  // Each get-directories call hands out new handles: ask once.
  preopens ??= getDirectories();
  let best;
  for (const [dir, name] of preopens) {
    const base = name.replace(/\/+$/, '');
    const inside = base === '' || base === '.' ? !path.startsWith('/') : path.startsWith(base + '/');
    if (inside && (!best || base.length > best.base.length)) best = { dir, base };
  }
  if (!best) throw new EdgeError(`open ${path}`, 'not-permitted', 'no preopened directory holds it');
  return { dir: best.dir, rel: best.base === '' || best.base === '.' ? path : path.slice(best.base.length + 1) };
}

/**
 * Creates or truncates `path` and writes `data` to it.
 * @param {string} path
 * @param {Uint8Array} data
 */
export function writeFile(path, data) {
  const { dir, rel } = locate(path);
  const file = call(`open ${path}`, () => dir.openAt({}, rel, { create: true, truncate: true }, { write: true }));
  try {
    for (let at = 0; at < data.length; ) {
      const n = Number(call(`write ${path}`, () => file.write(data.subarray(at), BigInt(at))));
      if (n <= 0) throw new EdgeError(`write ${path}`, 'io', 'no progress');
      at += n;
    }
  } finally {
    drop(file);
  }
}

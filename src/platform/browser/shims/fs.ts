/**
 * `node:fs` for the browser build: an in-memory, read-only file tree. The page (or the embedder)
 * mounts the files a configuration names (models, image folders) before the component starts,
 * so that the interface code that reads them with readFileSync/statSync/readdirSync runs
 * unchanged, synchronously, inside the component's worker. Anything that writes fails with EROFS.
 */
const files = new Map<string, Uint8Array>();

function normal(path: string | URL): string {
  const p = typeof path === 'string' ? path : path.pathname;
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

function fsError(code: string, syscall: string, path: string | URL): Error {
  const e = new Error(`${code}: ${syscall} '${String(path)}' (browser file tree: mount the file first)`) as Error & {
    code: string;
    syscall: string;
    path: string;
  };
  e.code = code;
  e.syscall = syscall;
  e.path = String(path);
  return e;
}

/** Adds (or replaces) a file of the in-memory tree. */
export function mountFile(path: string, bytes: Uint8Array): void {
  files.set(normal(path), bytes);
}

export function mountedFiles(): string[] {
  return [...files.keys()];
}

function isDir(p: string): boolean {
  const prefix = p === '/' ? '/' : p + '/';
  for (const k of files.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

export function existsSync(path: string | URL): boolean {
  const p = normal(path);
  return files.has(p) || isDir(p);
}

export function readFileSync(path: string | URL, encoding?: string | { encoding?: string }): Uint8Array | string {
  const p = normal(path);
  const data = files.get(p);
  if (!data) throw fsError(isDir(p) ? 'EISDIR' : 'ENOENT', 'open', path);
  const enc = typeof encoding === 'string' ? encoding : encoding?.encoding;
  if (enc) return new TextDecoder().decode(data);
  return data.slice();
}

export function statSync(path: string | URL) {
  const p = normal(path);
  const data = files.get(p);
  const dir = !data && isDir(p);
  if (!data && !dir) throw fsError('ENOENT', 'stat', path);
  return {
    size: data ? data.byteLength : 0,
    mtimeMs: 0,
    isFile: () => !!data,
    isDirectory: () => dir,
    isSymbolicLink: () => false,
  };
}

export function readdirSync(path: string | URL): string[] {
  const p = normal(path);
  if (files.has(p)) throw fsError('ENOTDIR', 'scandir', path);
  const prefix = p === '/' ? '/' : p + '/';
  const names = new Set<string>();
  for (const k of files.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
  if (names.size === 0) throw fsError('ENOENT', 'scandir', path);
  return [...names].sort();
}

export const constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 };

export function accessSync(path: string | URL, mode = 0): void {
  if (!existsSync(path) || mode & constants.X_OK) throw fsError(existsSync(path) ? 'EACCES' : 'ENOENT', 'access', path);
}

function readOnly(name: string) {
  return (path: string | URL) => {
    throw fsError(name === 'openSync' ? 'ENOENT' : 'EROFS', name, path);
  };
}
export const openSync = readOnly('openSync');
export const closeSync = (): void => {};
export const writeFileSync = readOnly('writeFileSync');
export const mkdirSync = readOnly('mkdirSync');
export const mkdtempSync = readOnly('mkdtempSync');
export const renameSync = readOnly('renameSync');
export const rmSync = readOnly('rmSync');
// The messaging queue's file calls (src/messaging/queue.ts): a queue folder needs the Node host, so
// in a browser only a queue without `dir` (in memory) is used and these are never reached.
export const unlinkSync = readOnly('unlinkSync');
export const writeSync = readOnly('writeSync');
export const fsyncSync = readOnly('fsyncSync');
export const fdatasyncSync = readOnly('fdatasyncSync');
export const ftruncateSync = readOnly('ftruncateSync');

export default { existsSync, readFileSync, statSync, readdirSync, accessSync, constants, openSync, closeSync };

/** A tree entry in preview2-shim's in-memory filesystem format. */
export interface FileDataEntry {
  dir?: Record<string, FileDataEntry>;
  source?: Uint8Array | string;
}

/**
 * The files mounted under `dir`, as a preview2-shim in-memory tree (copies: a guest that writes
 * through a preopen changes its own tree, not the mounted files). An unmounted dir is empty.
 */
export function treeOf(dir: string): FileDataEntry {
  const root: FileDataEntry = { dir: {} };
  const p = normal(dir);
  const prefix = p === '/' ? '/' : p + '/';
  for (const [k, bytes] of files) {
    if (!k.startsWith(prefix)) continue;
    const parts = k.slice(prefix.length).split('/');
    let node = root;
    for (const part of parts.slice(0, -1)) node = node.dir![part] ??= { dir: {} };
    node.dir![parts[parts.length - 1]!] = { source: bytes.slice() };
  }
  return root;
}

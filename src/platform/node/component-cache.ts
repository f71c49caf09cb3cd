/**
 * Node's component cache: the host's transpile step (src/host/transpile.ts, the same on every
 * path) with its output cached on disk by content hash and transpiler version,
 * so that a second run does not transpile again. Entries are written to a temporary directory and
 * renamed into place, so an interrupted run never leaves half an entry behind.
 *
 * The cache is bounded: each entry is a component's hash, so a guest author rebuilding a component
 * all day, or an upgrade of this package (a new format number), would otherwise leave entries that
 * nothing reads again, 1–2 MB each. A hit marks its entry used (its folder's time); after writing a
 * new entry, the least recently used beyond CACHE_KEEP are removed (see pruneCache).
 *
 * The transpiler is the latest jco, with the host's rewrite of its bindings (see
 * src/host/transpile-rewrite.ts and docs/transpiler.md).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createRequire } from 'node:module';

import { TRANSPILER, transpileComponent } from '../../host/transpile.js';

export { TRANSPILER };

/**
 * Bumped when the options or the bindings rewrite change, so old entries are not reused.
 * 7: jco 1.35 with the syntax-tree rewrite (direct sync imports, JCO_DEBUG once, byte lists).
 * 8: the byte view and jco's DataView are renewed only when needed (no memory.buffer read per copy).
 * 9: handle tables no longer keep every rep they held (jco's `_createdReps` add removed).
 * 10: lists of wider elements (list<u32>, list<f32>) lifted through the cached byte view.
 * 11: large byte lists lifted into buffers from the host's recycler (HOST_BUFFERS_IMPORT).
 * 12: a synchronous import's borrowed host handles released in place (no shared borrow list).
 */
const CACHE_FORMAT = 12;

export function transpilerVersion(): string {
  // jco's `exports` map hides package.json: find it from the entry point instead.
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(TRANSPILER));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

export function defaultCacheDir(): string {
  const base = process.env.WASI_EDGE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'wasi-edge-host');
  return base;
}

export interface TranspiledComponent {
  /** Directory holding `component.js` and its core modules. */
  dir: string;
  /** Interfaces the component imports (unversioned names, as jco reports them). */
  imports: string[];
  /** Exports: [name, 'function' | 'instance']. */
  exports: [string, string][];
  /** The world's imports with versions (see src/host/transpile.ts). */
  worldImports: string[];
  /** True when this call transpiled (a cache miss). */
  transpiled: boolean;
}

interface Manifest {
  format: number;
  transpiler: string;
  imports: string[];
  exports: [string, string][];
  worldImports: string[];
}

/** An entry's folder name: hash, jco version, cache format, and `-jspi` for JSPI bindings; or a staging folder. */
const ENTRY = /^[0-9a-f]{32}-jco[^/]+-f\d+(-jspi)?$|^\.staging-/;
const STAGING = /^\.staging-/;

/**
 * Entries kept after a new one is written: the least recently used beyond this are removed. Many
 * more than one device or one project runs (the largest fixture set here, the test suite, uses ~60).
 */
export const CACHE_KEEP = 128;
/** A staging folder this old belongs to a transpile that was killed (a live one takes seconds). */
const STALE_STAGING_MS = 60 * 60 * 1000;

/** What the cache holds: its entries (one per component and transpiler version) and their bytes. */
export function cacheContents(root: string = defaultCacheDir()): { entries: string[]; bytes: number } {
  if (!existsSync(root)) return { entries: [], bytes: 0 };
  const entries = readdirSync(root).filter((n) => ENTRY.test(n));
  let bytes = 0;
  const walk = (p: string) => {
    const s = statSync(p);
    if (s.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    else bytes += s.size;
  };
  for (const e of entries) walk(join(root, e));
  return { entries, bytes };
}

/**
 * Removes the cache's entries, and only those (the folder may be one the user named with
 * WASI_EDGE_CACHE_DIR and share with other files). Returns how many were removed.
 */
export function cleanCache(root: string = defaultCacheDir()): number {
  const { entries } = cacheContents(root);
  for (const e of entries) rmSync(join(root, e), { recursive: true, force: true });
  return entries.length;
}

/**
 * Removes the least recently used entries beyond `keep`, and staging folders left by a killed
 * transpile; never `spare` (the entry just written). Best effort: an entry another process removes
 * or is writing meanwhile is skipped. Returns the names removed.
 *
 * An entry another process is loading right now was used just now, so it is among the newest and
 * stays, unless `keep` other components were transpiled since: the bound is far above that.
 */
export function pruneCache(root: string, keep: number = CACHE_KEEP, spare?: string, now: number = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => ENTRY.test(n));
  } catch {
    return [];
  }
  const used = (n: string): number | undefined => {
    try {
      return statSync(join(root, n)).mtimeMs;
    } catch {
      return undefined; // removed by another process meanwhile
    }
  };
  const removed: string[] = [];
  const remove = (n: string) => {
    try {
      rmSync(join(root, n), { recursive: true, force: true });
      removed.push(n);
    } catch {
      // not ours to remove after all (permissions), or busy: left for a later prune or cache-clean
    }
  };
  const entries: { name: string; used: number }[] = [];
  for (const name of names) {
    const t = used(name);
    if (t === undefined || name === spare) continue;
    if (STAGING.test(name)) {
      if (now - t > STALE_STAGING_MS) remove(name);
    } else {
      entries.push({ name, used: t });
    }
  }
  const room = Math.max(0, keep - (spare === undefined ? 0 : 1));
  entries.sort((a, b) => b.used - a.used);
  for (const e of entries.slice(room)) remove(e.name);
  return removed;
}

/** Marks an entry used now (its folder's time), for pruneCache; a read-only cache just is not marked. */
function markUsed(dir: string): void {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // a cache on a read-only disk still serves its entries
  }
}

/**
 * mkdir -p, one level at a time: Node 20's recursive mkdirSync never returns for some paths a
 * user may name by mistake (measured: `/proc/x` spins in the kernel), where a plain mkdir fails.
 */
function ensureDir(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) ensureDir(parent);
  mkdirSync(dir);
}

/** The cache folder cannot be made or written. */
export class CacheDirError extends Error {
  constructor(root: string, cause: unknown) {
    super(
      `cannot use the transpile cache at ${root} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}): ` +
        'set WASI_EDGE_CACHE_DIR to a writable folder',
    );
    this.name = 'CacheDirError';
  }
}

export type { LoadOptions as TranspileOptions } from '../../host/platform-port.js';
import type { LoadOptions as TranspileOptions } from '../../host/platform-port.js';

/**
 * The component's transpiled bindings from the cache, transpiled and cached on a miss. `cacheKeep`
 * (tests) replaces the bound CACHE_KEEP; embedders get the default on every path (workers, devices).
 */
export async function transpileCached(bytes: Uint8Array, options: TranspileOptions & { cacheKeep?: number } = {}): Promise<TranspiledComponent> {
  const keep = options.cacheKeep ?? CACHE_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new TypeError(`cacheKeep must be a whole number of entries, at least 1 (got ${String(keep)})`);
  const version = transpilerVersion();
  const hash = createHash('sha256').update(bytes).digest('hex');
  const root = options.cacheDir ?? defaultCacheDir();
  const jspi = options.jspi === true;
  const dir = join(root, `${hash.slice(0, 32)}-jco${version}-f${CACHE_FORMAT}${jspi ? '-jspi' : ''}`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    try {
      const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      if (m.format === CACHE_FORMAT && m.transpiler === version) {
        markUsed(dir);
        return { dir, imports: m.imports, exports: m.exports, worldImports: m.worldImports, transpiled: false };
      }
    } catch {
      // A corrupt entry is rebuilt below.
    }
  }
  options.onTranspileStart?.(bytes.length);
  const out = await transpileComponent(bytes, { jcoVersion: version, jspi });
  let staging: string;
  try {
    ensureDir(root);
    staging = mkdtempSync(join(root, '.staging-'));
  } catch (e) {
    throw new CacheDirError(root, e);
  }
  try {
    for (const [name, content] of Object.entries(out.files)) {
      const path = join(staging, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    const manifest: Manifest = { format: CACHE_FORMAT, transpiler: version, imports: out.imports, exports: out.exports, worldImports: out.worldImports };
    writeFileSync(join(staging, 'manifest.json'), JSON.stringify(manifest));
    // component.js is an ES module; Node before 20.19 does not detect that from the syntax.
    writeFileSync(join(staging, 'package.json'), '{"type":"module"}\n');
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    // Another process may have renamed the same entry into place first: use it.
    if (!existsSync(manifestPath)) throw e;
  }
  pruneCache(root, keep, basename(dir));
  return { dir, imports: out.imports, exports: out.exports, worldImports: out.worldImports, transpiled: true };
}


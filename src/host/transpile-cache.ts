/**
 * Transpiles a component with jco and caches the output by content hash and transpiler version,
 * so that a second run does not transpile again. Entries are written to a temporary directory and
 * renamed into place, so an interrupted run never leaves half an entry behind.
 *
 * The runtime transpiler is jco 1.12.0: later versions add component-model-async bookkeeping to
 * every import call (≈ 1000× slower per call; see docs/transpiler.md and bench/).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

export const TRANSPILER = '@bytecodealliance/jco';

/** Bumped when the options below change, so old entries are not reused. */
const CACHE_FORMAT = 5;

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
  /** True when this call transpiled (a cache miss). */
  transpiled: boolean;
}

interface Manifest {
  format: number;
  transpiler: string;
  imports: string[];
  exports: [string, string][];
}

export interface TranspileOptions {
  cacheDir?: string;
  /** Called before a transpile that is not cached (it can take seconds for a large component). */
  onTranspileStart?: (bytes: number) => void;
}

export async function transpileCached(bytes: Uint8Array, options: TranspileOptions = {}): Promise<TranspiledComponent> {
  const version = transpilerVersion();
  const hash = createHash('sha256').update(bytes).digest('hex');
  const root = options.cacheDir ?? defaultCacheDir();
  const dir = join(root, `${hash.slice(0, 32)}-jco${version}-f${CACHE_FORMAT}`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    try {
      const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
      if (m.format === CACHE_FORMAT && m.transpiler === version) {
        return { dir, imports: m.imports, exports: m.exports, transpiled: false };
      }
    } catch {
      // A corrupt entry is rebuilt below.
    }
  }
  options.onTranspileStart?.(bytes.length);
  const jco = (await import(TRANSPILER)) as {
    transpile(bytes: Uint8Array, opts: Record<string, unknown>): Promise<{
      files: Record<string, Uint8Array>;
      imports: string[];
      exports: [string, string][];
    }>;
  };
  const out = await jco.transpile(bytes, {
    name: 'component',
    instantiation: 'async',
    typescript: false,
    base64Cutoff: 0,
  });
  mkdirSync(root, { recursive: true });
  const jsName = Object.keys(out.files).find((n) => n.endsWith('.js'));
  if (jsName) out.files[jsName] = rewriteByteLists(out.files[jsName]!);
  const staging = mkdtempSync(join(root, '.staging-'));
  try {
    for (const [name, content] of Object.entries(out.files)) {
      const path = join(staging, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    const manifest: Manifest = { format: CACHE_FORMAT, transpiler: version, imports: out.imports, exports: out.exports };
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
  return { dir, imports: out.imports, exports: out.exports, transpiled: true };
}

/**
 * Two rewrites of jco 1.12's byte-list code, each the same bytes by a cheaper road (Node 20):
 *
 * - Lifting (guest → host): jco copies every `list<u8>` the guest passes with
 *   `memory.buffer.slice(ptr, end)`, ~2.6 µs per call (slicing an ArrayBuffer backed by wasm memory is
 *   slow there). Copying through a view, `new Uint8Array(memory.buffer, ptr, len).slice()`, gives the
 *   same fresh bytes in ~0.3 µs. Only byte lists: a view of wider elements needs an aligned pointer,
 *   and the canonical ABI's alignment rule is not checked by jco.
 * - Lowering (host → guest): before copying a `list<u8>` the host returns into guest memory, jco
 *   makes a view of it with `new Uint8Array(v.buffer || v, v.byteOffset, len)`. For a small typed
 *   array V8 keeps the bytes inside the object, and reading its `.buffer` makes V8 move them out
 *   into a new ArrayBuffer first: ~0.9 µs, for every short i2c read. A Uint8Array is used as it is.
 *
 * Both copies then go through one byte view of the memory, kept like jco's own `dataView` (made
 * anew only when the memory grows), instead of a new view per call. A list that does not lie
 * inside the guest's memory is a trap, as the canonical ABI says (jco's own `slice` would have cut
 * it short without a word; a view would have thrown a RangeError through the host).
 */
const BYTE_HELPERS = `  let u8v = new Uint8Array(0);
  const bytesOf = (mem, ptr, len) => {
    if (u8v.buffer !== mem.buffer) u8v = new Uint8Array(mem.buffer);
    if (ptr + len > u8v.length) throw new WebAssembly.RuntimeError(\`list of \${len} bytes at \${ptr} lies outside the guest's memory\`);
    return u8v;
  };
  // Pointers arrive as signed i32: above 2 GiB they are negative until read as unsigned.
  const liftBytes = (mem, ptr, len) => bytesOf(mem, ptr >>> 0, len).slice(ptr >>> 0, (ptr >>> 0) + len);
  const lowerBytes = (mem, ptr, src) => bytesOf(mem, ptr >>> 0, src.length).set(src, ptr >>> 0);`;

export function rewriteByteLists(js: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(js);
  const DATA_VIEW = 'const dataView = mem => dv.buffer === mem.buffer ? dv : dv = new DataView(mem.buffer);';
  const cachedView = text.includes(DATA_VIEW);
  let rewritten = text
    .replace(/new Uint8Array\((memory\d*)\.buffer\.slice\((\w+), \2 \+ (\w+) \* 1\)\)/g, 'new Uint8Array($1.buffer, $2, $3).slice()')
    .replace(
      /new Uint8Array\((\w+)\.buffer \|\| \1, \1\.byteOffset, (\w+) \* 1\)/g,
      '($1 instanceof Uint8Array ? $1 : new Uint8Array($1.buffer || $1, $1.byteOffset, $2 * 1))',
    );
  if (cachedView) {
    rewritten = rewritten
      .replace(DATA_VIEW, `${DATA_VIEW}\n${BYTE_HELPERS}`)
      .replace(/new Uint8Array\((memory\d*)\.buffer, (\w+), (\w+)\)\.slice\(\)/g, 'liftBytes($1, $2, $3)')
      .replace(/\(new Uint8Array\((memory\d*)\.buffer, (\w+), (\w+) \* 1\)\)\.set\((\w+)\)/g, 'lowerBytes($1, $2, $4)');
  }
  return new TextEncoder().encode(rewritten);
}


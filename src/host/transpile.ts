/**
 * The transpile step, the same on every path (Node's runner and cache, the browser build, the
 * bench): jco turns a component into an ES module plus core modules (instantiation mode), then
 * our rewrite of its byte-list code (below) makes list<u8> copies cheap and bounds-checked.
 *
 * The runtime transpiler is jco 1.12.0: later versions add component-model-async bookkeeping to
 * every import call (≈ 1000× slower per call; see docs/transpiler.md and bench/).
 */
export const TRANSPILER = '@bytecodealliance/jco';

/** A component header on bytes that are not a valid component (truncated, corrupt). */
export class InvalidComponentError extends Error {
  constructor(reason: string) {
    super(`not a valid component (${reason}); rebuild it, or check that the file was copied whole`);
    this.name = 'InvalidComponentError';
  }
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n').map((l) => l.trim()).find((l) => l && !/^(Caused by|Stack backtrace):?$/.test(l)) ?? 'unknown reason';
}

export interface TranspileOutput {
  /** File name → contents: `component.js` and its core modules. */
  files: Record<string, Uint8Array>;
  /** Interfaces the component imports (unversioned, as jco reports them). */
  imports: string[];
  /** Exports: [name, 'function' | 'instance']. */
  exports: [string, string][];
  /**
   * What the component's world imports, with versions (`wasi:i2c/i2c@0.2.0-draft`): jco's own
   * list drops them, and a host must refuse a version it does not implement before the guest runs.
   */
  worldImports: string[];
}

interface Jco {
  componentWit(bytes: Uint8Array): Promise<string>;
  transpile(bytes: Uint8Array, opts: Record<string, unknown>): Promise<TranspileOutput | { files: [string, Uint8Array][]; imports: string[]; exports: [string, string][] }>;
}

export async function transpileComponent(bytes: Uint8Array): Promise<TranspileOutput> {
  const jco = (await import(TRANSPILER)) as Jco;
  let out: Awaited<ReturnType<Jco['transpile']>>;
  try {
    out = await jco.transpile(bytes, {
      name: 'component',
      instantiation: 'async',
      typescript: false,
      base64Cutoff: 0,
    });
  } catch (e) {
    // jco rejects a malformed component (truncated, invalid) with the validator's message.
    throw new InvalidComponentError(firstLine(e));
  }
  const files: Record<string, Uint8Array> = Array.isArray(out.files) ? Object.fromEntries(out.files) : { ...out.files };
  const jsName = Object.keys(files).find((n) => n.endsWith('.js'));
  if (!jsName) throw new Error(`${TRANSPILER} produced no JavaScript module (files: ${Object.keys(files).join(', ')})`);
  files[jsName] = rewriteByteLists(files[jsName]!);
  return { files, imports: out.imports, exports: out.exports, worldImports: worldImports(await jco.componentWit(bytes), out.imports) };
}

/**
 * The `import` lines of the component's world, from the WIT that jco prints for it
 * (`world root { import wasi:i2c/i2c@0.2.0-draft; … }`). A seam with jco's printer: if the
 * world or an interface jco listed is not found there, this fails loudly rather than guess.
 */
export function worldImports(wit: string, interfaces: readonly string[]): string[] {
  const world = /^world [\w-]+ \{$([\s\S]*?)^\}$/m.exec(wit);
  if (!world) throw new Error(`${TRANSPILER}: the component's WIT has no world block (its printer changed?)`);
  const found = [...world[1]!.matchAll(/^\s*import ([^;\s]+);$/gm)].map((m) => m[1]!);
  const unversioned = new Set(found.map((i) => i.split('@')[0]!));
  const absent = interfaces.filter((i) => !unversioned.has(i));
  if (absent.length) throw new Error(`${TRANSPILER}: the world's imports do not name ${absent.join(', ')} (its printer changed?)`);
  return found;
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


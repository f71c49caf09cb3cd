/**
 * The transpile step, the same on every path (Node's runner and cache, the browser build, the
 * bench, and embedders through the package's `transpile`): jco turns a component into an ES
 * module plus core modules (instantiation mode), then our rewrite of the generated module
 * (src/host/transpile-rewrite.ts, on its syntax tree) takes the per-call task bookkeeping out of
 * synchronous imports, reads JCO_DEBUG once, makes byte-list copies cheap and bounds-checked, and
 * stops the handle tables from keeping every resource rep they ever held (a leak in jco 1.35).
 * Without it, a host import call through jco 1.35's bindings costs microseconds (see
 * docs/transpiler.md).
 */
import { rewriteBindings, type RewriteCounts } from './transpile-rewrite.js';
import { JSPI_EXPORTS, JSPI_IMPORTS } from './jspi.js';

export { BindingsRewriteError, REWRITE_KNOWN_JCO, type RewriteCounts } from './transpile-rewrite.js';

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
  /** What the bindings rewrite changed (absent when it was turned off). */
  rewrite?: RewriteCounts;
}

export interface TranspileOptions {
  /**
   * false: jco's bindings exactly as jco generated them (for comparison; every import call then
   * pays jco's per-call bookkeeping, microseconds). Default true.
   */
  rewrite?: boolean;
  /**
   * Bindings for JSPI (src/core/jspi.ts; needs WebAssembly.Suspending to instantiate): the imports
   * the host may answer with a Promise suspend the guest, and the entry points (`wasi:cli/run`'s
   * `run`, `wasi:sensor/interface`'s `main`) return a Promise. Give the host `jspi: true` too
   * (createHost's option) so that it answers them that way. Default false.
   */
  jspi?: boolean;
}

export interface TranspileComponentOptions extends TranspileOptions {
  /** jco's version, named in the error when the rewrite does not know its code. */
  jcoVersion?: string;
}

interface Jco {
  componentWit(bytes: Uint8Array): Promise<string>;
  transpile(bytes: Uint8Array, opts: Record<string, unknown>): Promise<{ files: Record<string, Uint8Array> | [string, Uint8Array][]; imports: string[]; exports: [string, string][] }>;
}

export async function transpileComponent(bytes: Uint8Array, options: TranspileComponentOptions = {}): Promise<TranspileOutput> {
  const jco = (await import(TRANSPILER)) as Jco;
  let out: Awaited<ReturnType<Jco['transpile']>>;
  try {
    out = await jco.transpile(bytes, {
      name: 'component',
      instantiation: 'async',
      typescript: false,
      base64Cutoff: 0,
      ...(options.jspi ? { asyncMode: 'jspi', asyncImports: [...JSPI_IMPORTS], asyncExports: [...JSPI_EXPORTS] } : {}),
    });
  } catch (e) {
    // jco rejects a malformed component (truncated, invalid) with the validator's message.
    throw new InvalidComponentError(firstLine(e));
  }
  const all: Record<string, Uint8Array> = Array.isArray(out.files) ? Object.fromEntries(out.files) : { ...out.files };
  // jco 1.35 writes TypeScript declarations even with `typescript: false`; nothing here reads them.
  const files = Object.fromEntries(Object.entries(all).filter(([name]) => !name.endsWith('.d.ts')));
  const jsName = Object.keys(files).find((n) => n.endsWith('.js'));
  if (!jsName) throw new Error(`${TRANSPILER} produced no JavaScript module (files: ${Object.keys(files).join(', ')})`);
  const result: TranspileOutput = { files, imports: out.imports, exports: out.exports, worldImports: worldImports(await jco.componentWit(bytes), out.imports) };
  if (options.rewrite !== false) {
    const { js, counts } = rewriteBindings(new TextDecoder().decode(files[jsName]), options.jcoVersion ?? 'of unknown version');
    files[jsName] = new TextEncoder().encode(js);
    result.rewrite = counts;
  }
  return result;
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

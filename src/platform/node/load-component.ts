/**
 * Component loading on Node: read the file, check that it is a component (one-line errors for
 * anything else), transpile it through the host's transpile step with the on-disk cache, import
 * the generated module, and compile its core modules once per process.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { assertComponent, ComponentFileError } from '../../host/component-file.js';
import type { ComponentExports, LoadedComponent, LoadOptions } from '../../host/platform-port.js';
import type { ImportObject } from '../../core/wasi-config.js';
import { transpileCached, type TranspiledComponent } from './component-cache.js';
import { InvalidComponentError } from '../../host/transpile.js';
import { capCoreModule, CapTransformError, codeBytes, type CapResult, type CoreCaps } from '../../host/limits-wasm.js';
import type { LimitProbe } from '../../host/limits-probe.js';

type InstantiateCore = (module: WebAssembly.Module, imports?: WebAssembly.Imports) => Promise<WebAssembly.Instance>;
type Instantiate = (
  getCoreModule: (path: string) => Promise<WebAssembly.Module>,
  imports: ImportObject,
  instantiateCore?: InstantiateCore,
) => Promise<ComponentExports>;

/** Compiled once per process, per file and caps. */
const compiled = new Map<string, Promise<WebAssembly.Module>>();
/** What the transform found and did in each capped module (limits-wasm.ts). */
const cappedOf = new WeakMap<WebAssembly.Module, Omit<CapResult, 'bytes'>>();

function capsKey(caps: CoreCaps | undefined): string {
  return caps ? `${caps.maxMemoryPages ?? ''}/${caps.maxTableElements ?? ''}` : '';
}

function coreModuleLoader(dir: string, caps: CoreCaps | undefined, loaded: WebAssembly.Module[]) {
  return (path: string) => {
    const file = join(dir, path);
    const key = `${file}\0${capsKey(caps)}`;
    let module = compiled.get(key);
    if (!module) {
      module = compileCore(readFileSync(file), caps);
      compiled.set(key, module);
      // A module that cannot start under the cap must say so again next time.
      module.catch(() => compiled.delete(key));
    }
    return module.then((m) => {
      loaded.push(m);
      return m;
    });
  };
}

async function compileCore(bytes: Uint8Array<ArrayBuffer>, caps: CoreCaps | undefined): Promise<WebAssembly.Module> {
  if (!caps || (caps.maxMemoryPages === undefined && caps.maxTableElements === undefined)) return WebAssembly.compile(bytes);
  const { bytes: out, ...capped } = capCoreModule(bytes, caps);
  const module = await WebAssembly.compile(out);
  cappedOf.set(module, capped);
  return module;
}

/** jco's core instantiation, recording each instance of a capped module in the probe. */
function probingInstantiate(probe: LimitProbe): InstantiateCore {
  return async (module, imports) => {
    const instance = await WebAssembly.instantiate(module, imports);
    probe.record(instance.exports, cappedOf.get(module)?.probes);
    return instance;
  };
}

/**
 * A memory cap that found no memory to cap must not pass for applied: if the component's modules
 * import a memory that none of them defines, it comes from somewhere this loader never saw.
 * (A component with no memory at all has nothing to cap.)
 */
function assertMemoryCapped(modules: readonly WebAssembly.Module[], source: string): void {
  let defined = 0;
  let imported = 0;
  for (const m of modules) {
    const c = cappedOf.get(m);
    defined += c?.memoriesDefined ?? 0;
    imported += c?.memoriesImported ?? 0;
  }
  if (defined === 0 && imported > 0) {
    throw new CapTransformError(`${source}: no core module defines the memory the others import, so limits.maxMemoryBytes could not be applied`);
  }
}

/** A component file's bytes, or a one-line ComponentFileError saying what is wrong with the path. */
export function readComponentFile(file: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new ComponentFileError(`${file} is a directory; pass a component .wasm`);
    if (code === 'ENOENT') throw new ComponentFileError(`cannot read ${file}: ENOENT (no such file)`);
    throw new ComponentFileError(`cannot read ${file}: ${code ?? (e as Error).message}`);
  }
  assertComponent(bytes, file);
  return bytes;
}

/** Reads a component file and transpiles it (or takes it from the cache). */
export async function transpileFile(file: string, options: LoadOptions = {}): Promise<TranspiledComponent> {
  const bytes = readComponentFile(file);
  try {
    return await transpileCached(bytes, options);
  } catch (e) {
    if (e instanceof InvalidComponentError) throw new ComponentFileError(`${file} is ${e.message}`);
    throw e;
  }
}

/** A transpiled component in the cache, ready to instantiate. */
export function loadedFromCache(source: string, component: TranspiledComponent, caps?: CoreCaps, jspi = false): LoadedComponent {
  return {
    source,
    ...(jspi ? { jspi } : {}),
    imports: component.imports,
    exports: component.exports,
    worldImports: component.worldImports,
    ...(caps ? { caps } : {}),
    sizes() {
      const modules = readdirSync(component.dir).filter((f) => f.endsWith('.wasm'));
      return {
        componentBytes: statSync(source).size,
        codeBytes: modules.reduce((n, f) => n + codeBytes(readFileSync(join(component.dir, f))), 0),
      };
    },
    async instantiate(imports, probe) {
      const module = (await import(pathToFileURL(join(component.dir, 'component.js')).href)) as { instantiate: Instantiate };
      const loaded: WebAssembly.Module[] = [];
      const exports = await module.instantiate(coreModuleLoader(component.dir, caps, loaded), imports, probe ? probingInstantiate(probe) : undefined);
      if (caps?.maxMemoryPages !== undefined) assertMemoryCapped(loaded, source);
      return exports;
    },
  };
}

export async function loadComponent(source: string | URL, options: LoadOptions): Promise<LoadedComponent> {
  const file = source instanceof URL ? fileURLToPath(source) : source;
  return loadedFromCache(file, await transpileFile(file, options), options.caps, options.jspi === true);
}

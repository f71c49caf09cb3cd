/**
 * Component loading on Node: read the file, check that it is a component (one-line errors for
 * anything else), transpile it through the host's transpile step with the on-disk cache, import
 * the generated module, and compile its core modules once per process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { assertComponent, ComponentFileError } from '../../host/component-file.js';
import type { ComponentExports, LoadedComponent, LoadOptions } from '../../host/platform-port.js';
import type { ImportObject } from '../../core/wasi-config.js';
import { transpileCached, type TranspiledComponent } from './component-cache.js';
import { InvalidComponentError } from '../../host/transpile.js';

type Instantiate = (getCoreModule: (path: string) => Promise<WebAssembly.Module>, imports: ImportObject) => Promise<ComponentExports>;

const compiled = new Map<string, Promise<WebAssembly.Module>>();

function coreModuleLoader(dir: string) {
  return (path: string) => {
    const key = join(dir, path);
    let module = compiled.get(key);
    if (!module) {
      module = WebAssembly.compile(readFileSync(key));
      compiled.set(key, module);
    }
    return module;
  };
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
export function loadedFromCache(source: string, component: TranspiledComponent): LoadedComponent {
  return {
    source,
    imports: component.imports,
    exports: component.exports,
    worldImports: component.worldImports,
    async instantiate(imports) {
      const module = (await import(pathToFileURL(join(component.dir, 'component.js')).href)) as { instantiate: Instantiate };
      return module.instantiate(coreModuleLoader(component.dir), imports);
    },
  };
}

export async function loadComponent(source: string | URL, options: LoadOptions): Promise<LoadedComponent> {
  const file = source instanceof URL ? fileURLToPath(source) : source;
  return loadedFromCache(file, await transpileFile(file, options));
}

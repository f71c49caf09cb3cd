/**
 * Component loading in a browser: a component transpiled ahead of time by the host's transpile
 * step (scripts/build-browser.mjs calls src/host/transpile.ts, the same step, byte-list rewrite
 * included, as Node's runner) is a folder with `component.js`, its core modules and
 * `manifest.json`. Loading fetches the manifest; instantiating imports the module and compiles
 * the core modules as they stream in.
 */
import type { ComponentExports, LoadedComponent, LoadOptions } from '../../host/platform-port.js';
import type { ImportObject } from '../../core/wasi-config.js';

type Instantiate = (getCoreModule: (path: string) => Promise<WebAssembly.Module>, imports: ImportObject) => Promise<ComponentExports>;

interface Manifest {
  imports: string[];
  exports: [string, string][];
  worldImports: string[];
  /** The bindings made for JSPI, next to component.js (the same core modules). */
  jspi?: string;
}

/** `<base>/` as an absolute URL (relative bases resolve against the worker's location). */
export function componentFolder(base: string | URL): URL {
  const s = String(base);
  return new URL(s.endsWith('/') ? s : `${s}/`, location.href);
}

/**
 * With `options.jspi`, the folder's JSPI bindings (written by the same build); a folder made
 * before they existed has none, and then the plain bindings run (the runner follows `jspi` of
 * what it got).
 */
export async function loadComponent(source: string | URL, options: LoadOptions): Promise<LoadedComponent> {
  const dir = componentFolder(source);
  const response = await fetch(new URL('manifest.json', dir));
  if (!response.ok) throw new Error(`cannot load the component at ${dir.href}: manifest.json: HTTP ${response.status}`);
  const manifest = (await response.json()) as Manifest;
  if (!Array.isArray(manifest.worldImports)) {
    throw new Error(`${dir.href}manifest.json does not list the world's imports: transpile it again with this version (wasi-edge transpile)`);
  }
  const jspi = options.jspi === true && typeof manifest.jspi === 'string';
  const bindings = jspi ? manifest.jspi! : 'component.js';
  return {
    source: dir.href,
    ...(jspi ? { jspi } : {}),
    imports: manifest.imports,
    exports: manifest.exports ?? [],
    worldImports: manifest.worldImports,
    async instantiate(imports) {
      const module = (await import(/* @vite-ignore */ new URL(bindings, dir).href)) as { instantiate: Instantiate };
      return module.instantiate((path) => WebAssembly.compileStreaming(fetch(new URL(path, dir))), imports);
    },
  };
}

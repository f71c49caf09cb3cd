/**
 * Writes a component in the layout the browser platform loads (src/platform/browser/load-component.ts):
 * a folder with `component.js`, its core modules and `manifest.json`, made by the host's one
 * transpile step. Used by `wasi-edge transpile` and by the browser build.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ComponentFileError } from '../../host/component-file.js';
import { InvalidComponentError, transpileComponent } from '../../host/transpile.js';
import { readComponentFile } from './load-component.js';
import { transpilerVersion } from './component-cache.js';

export interface BrowserComponentManifest {
  imports: string[];
  exports: [string, string][];
  worldImports: string[];
  coreModules: string[];
}

/** Transpiles `file` into `outDir` (created if needed); returns what the manifest says. */
export async function writeBrowserComponent(file: string, outDir: string): Promise<BrowserComponentManifest> {
  const bytes = readComponentFile(file);
  let out: Awaited<ReturnType<typeof transpileComponent>>;
  try {
    out = await transpileComponent(bytes, { jcoVersion: transpilerVersion() });
  } catch (e) {
    if (e instanceof InvalidComponentError) throw new ComponentFileError(`${file} is ${e.message}`);
    throw e;
  }
  for (const [name, content] of Object.entries(out.files)) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), content);
  }
  const manifest: BrowserComponentManifest = {
    imports: out.imports,
    exports: out.exports,
    worldImports: out.worldImports,
    coreModules: Object.keys(out.files).filter((f) => f.endsWith('.wasm')),
  };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest));
  return manifest;
}

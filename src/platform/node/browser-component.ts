/**
 * Writes a component in the layout the browser platform loads (src/platform/browser/load-component.ts):
 * a folder with `component.js`, its core modules and `manifest.json`, made by the host's one
 * transpile step. Used by `wasi-edge transpile` and by the browser build.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertComponent, ComponentFileError } from '../../host/component-file.js';
import { transpileComponent } from '../../host/transpile.js';

export interface BrowserComponentManifest {
  imports: string[];
  exports: [string, string][];
  worldImports: string[];
  coreModules: string[];
}

/** Transpiles `file` into `outDir` (created if needed); returns what the manifest says. */
export async function writeBrowserComponent(file: string, outDir: string): Promise<BrowserComponentManifest> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ComponentFileError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  assertComponent(bytes, file);
  const out = await transpileComponent(bytes);
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

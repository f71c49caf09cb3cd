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
  /** component-jspi.js: the bindings for JSPI (src/core/jspi.ts), over the same core modules. */
  jspi: string;
}

const JSPI_BINDINGS = 'component-jspi.js';

/** Transpiles `file` into `outDir` (created if needed); returns what the manifest says. */
export async function writeBrowserComponent(file: string, outDir: string): Promise<BrowserComponentManifest> {
  const bytes = readComponentFile(file);
  let out: Awaited<ReturnType<typeof transpileComponent>>;
  let jspi: Awaited<ReturnType<typeof transpileComponent>>;
  try {
    out = await transpileComponent(bytes, { jcoVersion: transpilerVersion() });
    jspi = await transpileComponent(bytes, { jcoVersion: transpilerVersion(), jspi: true });
  } catch (e) {
    if (e instanceof InvalidComponentError) throw new ComponentFileError(`${file} is ${e.message}`);
    throw e;
  }
  // jco writes the same core modules for both; one set serves both bindings (checked, not assumed).
  for (const [name, content] of Object.entries(jspi.files)) {
    if (name === 'component.js') continue;
    const same = out.files[name];
    if (!same || Buffer.compare(Buffer.from(same), Buffer.from(content)) !== 0) {
      throw new Error(`${file}: jco made a different ${name} for the JSPI bindings; the browser layout shares one set of core modules`);
    }
  }
  for (const [name, content] of Object.entries(out.files)) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), content);
  }
  writeFileSync(join(outDir, JSPI_BINDINGS), jspi.files['component.js']!);
  const manifest: BrowserComponentManifest = {
    imports: out.imports,
    exports: out.exports,
    worldImports: out.worldImports,
    coreModules: Object.keys(out.files).filter((f) => f.endsWith('.wasm')),
    jspi: JSPI_BINDINGS,
  };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest));
  return manifest;
}

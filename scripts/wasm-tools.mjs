// The component tooling this project builds guests with: the wasm-tools that the latest jco
// bundles (parse WAT, embed WIT, componentNew with the preview1 adapter, print a world).
// Called through the API rather than the jco CLI because the 1.35 CLI drops `-n` for `embed`
// (it passes `worldName`, the API reads `world`).
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';

// preview2-shim 0.26.1 has no default preopen; wasm-tools reads WIT through it.
_setPreopens({ '/': '/' });

export const root = fileURLToPath(new URL('..', import.meta.url));
const jcoDir = join(root, 'node_modules/@bytecodealliance/jco');
const tools = await import(
  pathToFileURL(join(root, 'node_modules/@bytecodealliance/jco-transpile/dist/wasm-tools.js')).href
);

export async function parseWat(text) {
  return tools.parse(text);
}

export async function embed(coreBytes, witDir, world) {
  return tools.componentEmbed({ binary: coreBytes, witPath: resolve(witDir), world });
}

export async function dummy(witDir, world) {
  return tools.componentEmbed({ dummy: true, witPath: resolve(witDir), world });
}

/** kind: 'command' | 'reactor' | null (no WASI imports, no adapter). */
export async function componentNew(embeddedBytes, kind) {
  const adapters = kind
    ? [['wasi_snapshot_preview1', await readFile(join(jcoDir, `lib/wasi_snapshot_preview1.${kind}.wasm`))]]
    : [];
  return tools.componentNew(embeddedBytes, adapters);
}

export async function componentWit(bytes) {
  return tools.componentWit(bytes);
}

export async function print(bytes) {
  return tools.print(bytes);
}

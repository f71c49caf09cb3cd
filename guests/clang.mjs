// How the guest builds call clang so that the same sources give the same bytes on any machine.
// clang's WebAssembly driver runs `wasm-opt` on what it linked whenever it finds one on PATH, which
// changes the output: `npm run` puts binaryen's (a jco dependency, node_modules/.bin) on PATH, and
// Debian's binaryen puts one in /usr/bin. So clang runs with a PATH that has no directory holding a
// wasm-opt, from its full path, and is told where wasm-ld is (it looks for wasm-ld-19 on PATH).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const searchPath = (process.env.PATH ?? '').split(':').filter(Boolean);

/** The full path of `name` on this process's PATH, or the name itself (then the spawn says it is missing). */
function which(name) {
  if (name.includes('/')) return name;
  for (const dir of searchPath) if (existsSync(join(dir, name))) return join(dir, name);
  return name;
}

/** clang-19 (or $CLANG), its environment, and the flags that pin its linker: spread them before the others. */
export function clangCommand() {
  const clang = which(process.env.CLANG ?? 'clang-19');
  const wasmLd = which('wasm-ld-19');
  const env = { ...process.env, PATH: searchPath.filter((dir) => !dir.includes('node_modules') && !existsSync(join(dir, 'wasm-opt'))).join(':') };
  return { clang, env, flags: wasmLd.includes('/') ? [`-fuse-ld=${wasmLd}`] : [] };
}

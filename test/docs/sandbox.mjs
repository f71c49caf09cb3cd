// A folder that looks like the checkout to a snippet, so relative paths in the docs work as written,
// while what a snippet writes stays out of the checkout: each top-level folder of the repository is
// a symlink and each top-level file a copy (writing one cannot change the checkout), except out/ (a
// fresh folder, where the demo's config maps /out) and node_modules/, which holds only the package
// itself (as a consumer's would: `import 'wasi-edge-host'`), @types and .bin. `wasi-edge` and
// `npx wasi-edge` on PATH run the built CLI (dist/cli/main.js); any other `npx` command runs a bin of
// the checkout's node_modules/.bin, and nothing is fetched.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NOT_LINKED = new Set(['.git', 'out', 'node_modules']);

/** Makes a sandbox of `root`; `files` maps extra names in it to repository paths. */
export function makeSandbox(root, files = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-edge-docs-'));
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (NOT_LINKED.has(entry.name)) continue;
    if (entry.isDirectory()) symlinkSync(join(root, entry.name), join(dir, entry.name));
    else if (entry.isFile()) copyFileSync(join(root, entry.name), join(dir, entry.name));
  }
  mkdirSync(join(dir, 'out'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/wasi-edge-host'));
  symlinkSync(join(root, 'node_modules/@types'), join(dir, 'node_modules/@types'));
  symlinkSync(join(root, 'node_modules/.bin'), join(dir, 'node_modules/.bin'));
  for (const [name, target] of Object.entries(files)) symlinkSync(join(root, target), join(dir, name));
  const bin = join(dir, '.docs-bin');
  mkdirSync(bin);
  const cli = JSON.stringify(join(root, 'dist/cli/main.js'));
  const shim = (name, body) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  shim('wasi-edge', `exec node ${cli} "$@"`);
  shim(
    'npx',
    [
      'if [ "$1" = wasi-edge ]; then shift; exec node ' + cli + ' "$@"; fi',
      `if [ -x ${JSON.stringify(join(root, 'node_modules/.bin'))}/"$1" ]; then b="$1"; shift; exec ${JSON.stringify(join(root, 'node_modules/.bin'))}/"$b" "$@"; fi`,
      'echo "npx $1: not wasi-edge nor a bin of the checkout (the docs test fetches nothing)" >&2; exit 127',
    ].join('\n'),
  );
  return { dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } };
}

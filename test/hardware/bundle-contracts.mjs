// Bundles test/hardware/contracts.ts (the contract suites of test/contracts/, for the QEMU guests)
// into one ES module, .work/contracts/contracts.mjs: the guests have node but no TypeScript and no
// test framework. Every import of src/ becomes an import of the checkout's dist/ by absolute path
// (the guests see the checkout at its host path), so the suites run the very modules the rest of
// the hardware suite runs, and `instanceof I2cFailure` means the class the backend throws.
// esbuild is the version vitest brought in (as for scripts/build-browser.mjs).
import { build } from 'esbuild';
import { join, relative, resolve, sep } from 'node:path';

export async function bundleContracts(root, work) {
  const src = join(root, 'src') + sep;
  const outfile = join(work, 'contracts', 'contracts.mjs');
  await build({
    entryPoints: [join(root, 'test/hardware/contracts.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'src-is-dist',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const file = resolve(args.resolveDir, args.path);
            if (!file.startsWith(src)) return undefined;
            return { path: join(root, 'dist', relative(src, file)), external: true };
          });
        },
      },
    ],
  });
  return outfile;
}

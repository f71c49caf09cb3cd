// The JavaScript runtimes the package is tested on (npm run test:runtimes, the README's runtime
// matrix). All but the first are exact-pinned in test/runtimes/package.json and installed there with
// `npm ci --ignore-scripts`: each executable is used from its platform package, so the deno and bun
// wrappers' install scripts (which copy or move it, and bun's downloads it when missing) never run.
export const RUNTIMES = [
  { id: 'node20', name: 'Node', self: true, args: [] },
  { id: 'node22', name: 'Node', binary: ['node22', 'bin/node'], args: [] },
  // jspi: has WebAssembly.Suspending / promising (JSPI) as shipped, without flags.
  { id: 'node24', name: 'Node', binary: ['node24', 'bin/node'], args: [], jspi: true },
  // --no-lock: Deno would otherwise write a deno.lock into the checkout.
  { id: 'deno', name: 'Deno', binary: ['@deno/linux-x64-glibc', 'deno'], args: ['run', '-A', '--no-lock'], jspi: true },
  { id: 'bun', name: 'Bun', binary: ['@oven/bun-linux-x64', 'bin/bun'], args: [], jspi: true },
];

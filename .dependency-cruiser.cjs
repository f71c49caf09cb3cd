// The floors of src/ (docs/architecture.md draws them). An import may go down a floor or stay in its
// own folder, never up and never sideways between two folders of one floor; no module-level circle.
// Checked in `npm test` by test/house/layering.test.ts; by hand: `npm run check:layers`.
//
// Paths are relative to the folder depcruise runs in, so the same rules judge the project's src/ and
// the small bad trees under test/house/fixtures/ that prove each rule can fail.

// The interface folders: each implements one WASI proposal and knows only the ground floor.
const IFACES = '(sensor|i2c|spi|nn|vision|config|messaging)';
// What every floor above the interfaces may use.
const BELOW_HOST = `^src/(core|generated|${IFACES.slice(1, -1)})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-ground-floor',
      comment: 'src/core/ holds the primitives and contracts every floor uses; it imports nothing else of src/.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'interface-imports-core-only',
      comment:
        'An interface folder imports src/core/, src/generated/ (the WIT types) and itself: never another ' +
        'interface, host/ or platform/. What it needs from elsewhere arrives as a service in core/services.ts.',
      severity: 'error',
      from: { path: `^src/${IFACES}/` },
      to: { path: '^src/', pathNot: ['^src/(core|generated)/', '^src/$1/'] },
    },
    {
      name: 'host-composes-below-it',
      comment:
        'src/host/ composes core, the interfaces and the generated types; the platforms, the CLI, conformance ' +
        'and the entry point sit above it and reach it through the platform port.',
      severity: 'error',
      from: { path: '^src/host/' },
      to: { path: '^src/', pathNot: [BELOW_HOST, '^src/host/'] },
    },
    {
      name: 'platform-stays-in-its-lane',
      comment:
        'src/platform/<name>/ builds on core, the interfaces, host and generated, and on its own folder: ' +
        'never on the other platform (Node code in the browser bundle or the reverse) nor on the floors above.',
      severity: 'error',
      from: { path: '^src/platform/([^/]+)/' },
      to: { path: '^src/', pathNot: [BELOW_HOST, '^src/host/', '^src/platform/$1/'] },
    },
    {
      name: 'every-module-has-a-floor',
      comment:
        'A module of src/ outside the known folders has no rule yet: give its folder a floor here and in ' +
        'docs/architecture.md.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [`^src/(core|generated|host|cli|conformance|platform/[^/]+)/`, `^src/${IFACES}/`, '^src/index\\.ts$'],
      },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'A circle of imports has no floor order; split the shared part into the lower folder.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'generated-is-type-only',
      comment:
        'src/generated/ holds only .d.ts files (jco\'s types of wit/): a value import of one (a class the ' +
        'WIT declares) compiles, but there is no .js behind it at run time. Use `import type`.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/generated/' },
      to: { path: '^src/generated/', dependencyTypesNot: ['type-only', 'pre-compilation-only'] },
    },
    {
      name: 'src-never-imports-test',
      comment: 'test/ is not shipped; an import of it from src/ breaks the installed package.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'relative-import-resolves',
      comment:
        'An import that resolves to nothing cannot be placed on a floor (and fails at run time). Imports of ' +
        'src/generated/ are left to tsc: the build writes that folder, and a build running beside this check ' +
        'would race it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true, path: '^\\.', pathNot: '/generated/' },
    },
  ],
  options: {
    // Type-only imports count: a type import up a floor still ties the lower floor to the upper one.
    tsPreCompilationDeps: true,
    // Packages are seen (so an unplaced module is flagged whatever it imports) but not entered; nor is
    // src/generated/ (jco's .d.ts output, rewritten by every build): its imports are its own business.
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    moduleSystems: ['es6', 'cjs'],
  },
};

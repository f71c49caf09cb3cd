/**
 * Loads an optional dependency (onnxruntime-node, onnxruntime-web, i2c-bus, spi-device, koffi) only
 * when a configuration needs it, and says the same thing whenever one cannot be loaded: what needs
 * it, whether it is missing or broken (with the loader's first line), and the command that installs
 * it. Each interface throws its own failure (I2cFailure, SpiFailure, BackendError) with that message.
 * In the browser bundle `node:module` is src/platform/browser/shims/module.ts, where every package
 * but onnxruntime-web is "not installed".
 */
import { createRequire } from 'node:module';

export interface OptionalPackage {
  /** The npm name. */
  readonly name: string;
  /** The version this host is tested with; the install command names it. */
  readonly version?: string;
  /** The install command when `npm install <name>[@<version>]` is not all it takes. */
  readonly install?: string;
}

/** How an interface reports a package that cannot be loaded: its own error, with `message`. */
export type PackageFailure = (message: string, cause: unknown) => Error;

export class MissingPackageError extends Error {
  constructor(
    readonly packageName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MissingPackageError';
  }
}

/** `spec@version` as npm takes it. */
function spec(pkg: OptionalPackage): string {
  return pkg.version ? `${pkg.name}@${pkg.version}` : pkg.name;
}

function notFound(cause: unknown): boolean {
  const e = cause as { code?: unknown; message?: unknown } | undefined;
  return e?.code === 'MODULE_NOT_FOUND' || (typeof e?.message === 'string' && e.message.startsWith('Cannot find module'));
}

/** The sentence for `pkg` failing to load for `purpose` ("the Linux SPI backend"). */
export function optionalPackageMessage(pkg: OptionalPackage, purpose: string, cause: unknown): string {
  const firstLine = String((cause as Error)?.message ?? cause).split('\n')[0];
  const state = notFound(cause) ? 'is not installed' : 'failed to load';
  return (
    `${purpose} needs the optional package ${spec(pkg)}, which ${state} (${firstLine}); ` +
    `install it with ${pkg.install ?? `npm install ${spec(pkg)}`}`
  );
}

export interface LoadOptions {
  /** The interface's own error for a failure; MissingPackageError by default. */
  fail?: PackageFailure;
  /** The loader to use (tests pass a fake one); this module's `require` by default. */
  require?: NodeJS.Require;
}

let ownRequire: NodeJS.Require | undefined;

/**
 * Runs `load` with a CommonJS `require` (resolving from this package): whatever it throws is
 * reported as `pkg` failing to load for `purpose`. For packages that need more than one `require`
 * (a subpath and its package.json, say) or only `require.resolve`.
 */
export function loadOptional<T>(pkg: OptionalPackage, purpose: string, load: (req: NodeJS.Require) => T, options: LoadOptions = {}): T {
  const req = options.require ?? (ownRequire ??= createRequire(import.meta.url));
  try {
    return load(req);
  } catch (e) {
    const message = optionalPackageMessage(pkg, purpose, e);
    throw options.fail ? options.fail(message, e) : new MissingPackageError(pkg.name, message, { cause: e });
  }
}

/** `require`s the package synchronously, with the message above when it cannot. */
export function requireOptional<T>(pkg: OptionalPackage, purpose: string, options: LoadOptions = {}): T {
  return loadOptional(pkg, purpose, (req) => req(pkg.name) as T, options);
}

/** What keeps `load` from working here (the message it throws), or undefined when it works: a backend's `unavailable()`. */
export function unavailableReason(load: () => unknown): string | undefined {
  try {
    load();
    return undefined;
  } catch (e) {
    return (e as Error)?.message ?? String(e);
  }
}

/**
 * Loads an optional native dependency (onnxruntime-node, i2c-bus, spi-device, koffi) only when a
 * configuration needs it, and turns "Cannot find module" into a message that names the package
 * and how to install it.
 */
import { createRequire } from 'node:module';

export class MissingPackageError extends Error {
  constructor(
    readonly packageName: string,
    purpose: string,
    cause: unknown,
  ) {
    super(
      `${purpose} needs the optional package "${packageName}", which is not installed or failed to load ` +
        `(${(cause as Error)?.message?.split('\n')[0] ?? String(cause)}); install it with \`npm install ${packageName}\``,
    );
    this.name = 'MissingPackageError';
  }
}

const require = createRequire(import.meta.url);

/** `require`s a CommonJS package (or a subpath of it) synchronously, with a clear error when it is missing. */
export function requireOptional<T>(packageName: string, purpose: string, subpath = ''): T {
  try {
    return require(packageName + subpath) as T;
  } catch (e) {
    throw new MissingPackageError(packageName, purpose, e);
  }
}

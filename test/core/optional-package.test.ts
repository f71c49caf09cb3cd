// The one message for an optional package that cannot be loaded (src/core/optional-package.ts),
// which i2c, spi and both ONNX backends now share.
import { describe, expect, it } from 'vitest';
import { loadOptional, MissingPackageError, optionalPackageMessage, requireOptional, unavailableReason } from '../../src/core/optional-package.js';

/** A `require` that throws `error` for every id, as Node's does for a missing or broken package. */
function failingRequire(error: Error): NodeJS.Require {
  const req = () => {
    throw error;
  };
  return Object.assign(req, { resolve: req }) as unknown as NodeJS.Require;
}

const notFound = Object.assign(new Error("Cannot find module 'koffi'\nRequire stack:\n- /x.js"), { code: 'MODULE_NOT_FOUND' });

describe('optional packages', () => {
  it('a missing package: what needs it, that it is not installed, the loader line, the install command', () => {
    expect(optionalPackageMessage({ name: 'koffi' }, 'the Linux I2C backend', notFound)).toBe(
      "the Linux I2C backend needs the optional package koffi, which is not installed (Cannot find module 'koffi'); install it with npm install koffi",
    );
  });

  it('a package that is there but breaks while loading says so, and the tested version goes into the command', () => {
    const broken = new Error('invalid ELF header');
    expect(optionalPackageMessage({ name: 'spi-device', version: '3.1.2' }, 'the Linux SPI backend', broken)).toBe(
      'the Linux SPI backend needs the optional package spi-device@3.1.2, which failed to load (invalid ELF header); install it with npm install spi-device@3.1.2',
    );
  });

  it('an install command of its own replaces the plain one', () => {
    const message = optionalPackageMessage({ name: 'ort', version: '1', install: 'X=1 npm install ort@1' }, 'nn', notFound);
    expect(message).toMatch(/; install it with X=1 npm install ort@1$/);
  });

  it('the interface chooses the error; MissingPackageError with the package name otherwise', () => {
    class BusFailure extends Error {}
    const fail = (message: string, cause: unknown) => new BusFailure(message, { cause });
    let caught: unknown;
    try {
      requireOptional({ name: 'koffi' }, 'the bus', { require: failingRequire(notFound), fail });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BusFailure);
    expect((caught as Error).cause).toBe(notFound);
    try {
      requireOptional({ name: 'koffi' }, 'the bus', { require: failingRequire(notFound) });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MissingPackageError);
    expect((caught as MissingPackageError).packageName).toBe('koffi');
  });

  it('loads through the given loader and hands back what it returned', () => {
    const req = Object.assign((id: string) => ({ id }), { resolve: (id: string) => `/nm/${id}` }) as unknown as NodeJS.Require;
    expect(requireOptional({ name: 'pkg' }, 'p', { require: req })).toEqual({ id: 'pkg' });
    expect(loadOptional({ name: 'pkg' }, 'p', (r) => r.resolve('pkg/sub'), { require: req })).toBe('/nm/pkg/sub');
  });

  it('a real package of this project resolves with the default loader', () => {
    expect(loadOptional({ name: 'jpeg-js' }, 'p', (r) => r.resolve('jpeg-js'))).toMatch(/jpeg-js/);
  });

  it('unavailableReason: the message of what a load throws, nothing when it works', () => {
    expect(unavailableReason(() => 1)).toBeUndefined();
    expect(unavailableReason(() => { throw new Error('no wasm'); })).toBe('no wasm');
  });
});

/**
 * `vision.backend`: which backend a host picks, what it says when sharp is missing or broken, and
 * that `auto` falls back to the TypeScript codecs when sharp is installed but cannot load.
 */
import { describe, expect, it } from 'vitest';
import type { SyncWorker, SyncWorkerFactory } from '../../src/core/blocking-bridge.js';
import { MissingPackageError } from '../../src/core/optional-package.js';
import { ConfigError } from '../../src/core/validate.js';
import { parseConfig } from '../../src/host/config.js';
import { selectVisionBackend } from '../../src/vision/backends/select.js';
import { createSharpBackend, resolveSharp } from '../../src/vision/backends/sharp.js';
import { typescriptBackend } from '../../src/vision/backends/typescript.js';
import { VisionFailure } from '../../src/vision/failure.js';

/** A bridge whose worker cannot load sharp (a platform without its binary): every call fails as the prelude reports it. */
const LOAD_ERROR = 'Could not load the "sharp" module using the linux-x64 runtime';
const brokenSharp: SyncWorkerFactory = () =>
  ({
    dead: undefined,
    call: () => {
      throw new Error(LOAD_ERROR);
    },
    callAsync: () => Promise.reject(new Error(LOAD_ERROR)),
    terminate: () => {},
  }) as SyncWorker;

const missingRequire = Object.assign(() => {
  throw Object.assign(new Error("Cannot find module 'sharp'"), { code: 'MODULE_NOT_FOUND' });
}, { resolve: () => {
  throw Object.assign(new Error("Cannot find module 'sharp'"), { code: 'MODULE_NOT_FOUND' });
} }) as unknown as NodeJS.Require;

const rgb = { width: 2, height: 1, format: 'rgb24', data: Uint8Array.of(1, 2, 3, 4, 5, 6), planes: [{ offset: 0, stride: 6 }] } as const;

describe('vision.backend', () => {
  it('takes auto, sharp and typescript, and refuses anything else naming the three', () => {
    expect(parseConfig({ vision: { backend: 'typescript' } }).vision.backend).toBe('typescript');
    expect(parseConfig({}).vision.backend).toBeUndefined();
    expect(() => parseConfig({ vision: { backend: 'libvips' } })).toThrow(ConfigError);
    expect(() => parseConfig({ vision: { backend: 'libvips' } })).toThrow(/auto.*sharp.*typescript/);
  });

  it('auto and sharp encode PNG with the platform zlib when it has one; typescript never does', () => {
    const zlib = { name: 'test zlib', deflateRle: () => { throw new Error('zlib was used'); }, crc32: () => 0 };
    const noSharp = selectVisionBackend('auto', { zlib });
    expect(noSharp.pngEncoder).toMatch(/^test zlib, in-process/);
    expect(() => noSharp.encodePng(rgb)).toThrow('zlib was used');
    const ts = selectVisionBackend('typescript', { spawnSyncWorker: brokenSharp, zlib });
    expect(ts.pngEncoder).toBe('fast-png');
    expect(Array.from(ts.decode(ts.encodePng(rgb), 100).data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(selectVisionBackend('auto', {}).pngEncoder).toBe('fast-png');
  });

  it('typescript never needs a bridge; auto without one (a test, no platform) is typescript', () => {
    expect(selectVisionBackend('typescript', { spawnSyncWorker: brokenSharp }).name).toBe('typescript');
    expect(selectVisionBackend('auto', undefined).name).toBe('typescript');
    expect(() => selectVisionBackend('sharp', undefined)).toThrow(/worker threads/);
  });

  it('a missing sharp is named with its install command', () => {
    const e = (() => {
      try {
        resolveSharp(missingRequire);
      } catch (err) {
        return err as Error;
      }
      throw new Error('resolveSharp succeeded');
    })();
    expect(e).toBeInstanceOf(MissingPackageError);
    expect(e.message).toMatch(/the sharp vision backend needs the optional package sharp@0\.35\.5, which is not installed .*npm install sharp@0\.35\.5/);
  });

  it('a sharp that cannot load: sharp fails the codec call with not-supported and the reason; auto uses the TypeScript codecs', () => {
    const strict = createSharpBackend(brokenSharp);
    const e = (() => {
      try {
        strict.encodePng(rgb);
      } catch (err) {
        return err as VisionFailure;
      }
      throw new Error('encodePng succeeded');
    })();
    expect(e).toBeInstanceOf(VisionFailure);
    expect(e.code).toBe('not-supported');
    expect(e.message).toMatch(/sharp@0\.35\.5.*linux-x64 runtime/);

    const auto = createSharpBackend(brokenSharp, typescriptBackend);
    const png = auto.encodePng(rgb);
    expect(Array.from(png)).toEqual(Array.from(typescriptBackend.encodePng(rgb)));
    expect(Array.from(auto.decode(png, 100).data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

/**
 * Paths and names are not a way out (issue 11 §4). A guest names things in four places: models
 * (wasi:nn load-by-name), devices and buses (sensor open, open-i2c, open-device), and files through
 * the WASI preopens. None of them may reach what the configuration does not grant: not with `../`,
 * not with an absolute host path, not through a symlink, not through JS object keys (`__proto__`).
 * Fixture paths (image folders, model files) are configuration only: no guest call takes one, so
 * the tests below check that a fixture path used as a *name* is refused like any unknown name.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLAZEFACE_PATH } from '../../src/nn/config.js';
import { defaultFixtureDirectory } from '../../src/sensor/config.js';
import { codeOf, host, witError } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const ESCAPES = [
  '../blazeface', './blazeface', 'blazeface/', '/blazeface', 'blazeface/../blazeface', '..', '.', '',
  '__proto__', 'constructor', 'hasOwnProperty', 'toString', '%2e%2e/blazeface', 'blazeface\0', '\\..\\blazeface',
];

describe('model names (wasi:nn load-by-name)', () => {
  it('only configured names load; paths, traversals and object keys are not-found', () => {
    const h = host();
    const g = h.api('wasi:nn/graph');
    expect(g.loadByName('blazeface')).toBeTruthy();
    for (const name of [...ESCAPES, BLAZEFACE_PATH, 'fixtures/models/blazeface-128.onnx', 'blazeface-128.onnx', 'file://' + BLAZEFACE_PATH]) {
      expect(codeOf(witError(() => g.loadByName(name))), name).toBe('not-found');
    }
    h.dispose();
  });

  it('a configured but ungranted model is security, whatever spelling reaches it', () => {
    const h = host({ nn: { models: { a: BLAZEFACE_PATH, b: BLAZEFACE_PATH }, allow: ['a'] } });
    const g = h.api('wasi:nn/graph');
    expect(g.loadByName('a')).toBeTruthy();
    expect(codeOf(witError(() => g.loadByName('b')))).toBe('security');
    for (const name of ['a/../b', '../b', './b', 'B']) expect(codeOf(witError(() => g.loadByName(name))), name).toBe('not-found');
    h.dispose();
  });
});

describe('device and bus names', () => {
  it('sensor: device names are names, not paths', () => {
    const h = host();
    const { Device } = h.api('wasi:sensor/sensor');
    const d = Device.open('fixture:0');
    d[Symbol.dispose]();
    for (const name of ['/dev/video0', '../fixture:0', 'fixture:0/..', defaultFixtureDirectory(), join(defaultFixtureDirectory(), '..'), '__proto__', 'constructor', 'toString']) {
      expect(witError(() => Device.open(name)), name).toBe('not-found');
    }
    h.dispose();
  });

  it('i2c: bus names are names; a Linux device path is not a bus; ungranted buses are permission-denied', () => {
    const h = host({ i2c: { buses: { a: { kind: 'simulated' }, b: { kind: 'simulated' } }, allow: ['a'] } });
    const access = h.api('wasi-edge:host/access');
    expect(access.listI2cBuses()).toEqual(['a']);
    for (const name of ['/dev/i2c-0', '/dev/i2c-1', '../a', 'a/../b', '__proto__', 'constructor', 'toString', '']) {
      expect(codeOf(witError(() => access.openI2c(name))), name).toBe('not-found');
    }
    expect(codeOf(witError(() => access.openI2c('b')))).toBe('permission-denied');
    h.dispose();
  });

  it('i2c: only the granted addresses of a bus are reachable', () => {
    const h = host({ i2c: { buses: { a: { kind: 'simulated', devices: [{ chip: 'bme280', address: 0x76 }, { chip: 'at24c', address: 0x50 }], addresses: [0x76] } } } });
    const i2c = h.api('wasi-edge:host/access').openI2c('a');
    expect(i2c.read(0x76, 1n)).toHaveLength(1);
    for (const addr of [0x50, 0x77, 0x80, 0x3ff, -1, 0x10000]) expect(codeOf(witError(() => i2c.read(addr, 1n))), String(addr)).toBe('other');
    h.dispose();
  });

  it('spi: device names are names; a spidev path is not a device; ungranted devices are refused', () => {
    const h = host({ spi: { allow: ['spi-flash0'] } });
    const spi = h.api('wasi:spi/spi');
    expect(spi.getDeviceNames()).toEqual(['spi-flash0']);
    for (const name of ['/dev/spidev0.0', '../spi-flash0', 'spi-flash0/', '__proto__', 'constructor', 'spi-adc0']) {
      expect(codeOf(witError(() => spi.openDevice(name))), name).toBe('other');
    }
    h.dispose();
  });
});

describe('WASI preopens', () => {
  const root = tempDir('wasi-edge-paths');
  const granted = join(root, 'granted');
  const secret = join(root, 'secret');
  beforeAll(() => {
    mkdirSync(join(granted, 'sub'), { recursive: true });
    mkdirSync(secret);
    writeFileSync(join(granted, 'ok.txt'), 'ok');
    writeFileSync(join(secret, 's.txt'), 'secret');
    symlinkSync(join(secret, 's.txt'), join(granted, 'abs-link.txt'));
    symlinkSync('../secret/s.txt', join(granted, 'rel-link.txt'));
    symlinkSync(secret, join(granted, 'dir-link'));
  });

  const dirOf = (h: ReturnType<typeof host>) => {
    const pre = h.api('wasi:filesystem/preopens').getDirectories();
    expect(pre.map(([, p]: [unknown, string]) => p)).toEqual(['/data']);
    return pre[0][0];
  };
  const read = (fd: any): string => Buffer.from(fd.read(100n, 0n)[0]).toString();
  /** The filesystem error code a call throws (preview2-shim throws the error-code string). */
  const fsError = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (typeof e === 'string') return e;
      if (e && typeof e === 'object' && 'payload' in e) return String((e as { payload: unknown }).payload);
      throw e;
    }
    throw new Error('expected a filesystem error, the call succeeded');
  };

  it('reads inside the preopen work; `../`, absolute paths and symlinks out are refused', () => {
    const h = host({ wasi: { preopens: { '/data': granted } } });
    const dir = dirOf(h);
    expect(read(dir.openAt({}, 'ok.txt', {}, { read: true }))).toBe('ok');
    expect(read(dir.openAt({}, 'sub/../ok.txt', {}, { read: true }))).toBe('ok');
    for (const path of ['../secret/s.txt', 'sub/../../secret/s.txt', '..', join(secret, 's.txt'), '/data/ok.txt', 'abs-link.txt', 'rel-link.txt', 'dir-link/s.txt']) {
      for (const symlinkFollow of [false, true]) {
        expect(() => read(dir.openAt({ symlinkFollow }, path, {}, { read: true })), `${path} follow=${symlinkFollow}`).toThrow();
      }
    }
    expect(fsError(() => dir.statAt({}, '/etc/passwd'))).toBe('not-permitted');
    expect(fsError(() => dir.statAt({}, '../secret'))).toBe('not-permitted');
    h.dispose();
  });

  it('writes cannot leave the preopen: create, mkdir, rename, link, unlink, symlink', () => {
    const h = host({ wasi: { preopens: { '/data': granted } } });
    const dir = dirOf(h);
    expect(fsError(() => dir.openAt({}, '../secret/new.txt', { create: true }, { write: true }))).toBe('not-permitted');
    expect(fsError(() => dir.createDirectoryAt('../secret/d'))).toBe('not-permitted');
    expect(fsError(() => dir.renameAt('ok.txt', dir, '../secret/moved.txt'))).toBe('not-permitted');
    expect(fsError(() => dir.linkAt({}, '../secret/s.txt', dir, 'hard.txt'))).toBe('not-permitted');
    expect(fsError(() => dir.unlinkFileAt('../secret/s.txt'))).toBe('not-permitted');
    expect(fsError(() => dir.symlinkAt(join(secret, 's.txt'), 'evil-abs'))).toBe('not-permitted');
    // A relative symlink pointing out can be created (preview2-shim allows it) but not followed.
    try {
      dir.symlinkAt('../secret/s.txt', 'evil-rel');
    } catch {
      /* refusing it is fine too */
    }
    expect(() => read(dir.openAt({ symlinkFollow: true }, 'evil-rel', {}, { read: true }))).toThrow();
    expect(existsSync(join(secret, 'new.txt')) || existsSync(join(secret, 'moved.txt')) || existsSync(join(secret, 'd'))).toBe(false);
    expect(readFileSync(join(secret, 's.txt'), 'utf8')).toBe('secret');
    if (existsSync(join(granted, 'evil-rel')) || lstatSync(join(granted, 'evil-rel'), { throwIfNoEntry: false })) rmSync(join(granted, 'evil-rel'));
    h.dispose();
  });

  it('a path with a NUL byte is a filesystem error, not a host exception', () => {
    const h = host({ wasi: { preopens: { '/data': granted } } });
    const dir = dirOf(h);
    for (const path of ['ok.txt\0../../secret/s.txt', 'ok.txt\0x', '\0', 'sub/\0']) {
      expect(typeof fsError(() => dir.openAt({}, path, {}, { read: true })), JSON.stringify(path)).toBe('string');
      expect(typeof fsError(() => dir.statAt({}, path)), JSON.stringify(path)).toBe('string');
      expect(typeof fsError(() => dir.openAt({}, path, { create: true }, { write: true })), JSON.stringify(path)).toBe('string');
    }
    h.dispose();
  });

  it('with no preopens configured the guest sees no directory at all', () => {
    const h = host();
    expect(h.api('wasi:filesystem/preopens').getDirectories()).toEqual([]);
    h.dispose();
  });
});

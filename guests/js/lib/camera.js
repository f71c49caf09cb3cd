// The camera loop every vision app starts with: open a wasi:sensor device, give it a host-memory
// pool (wasi:buffer-pool), start it, and take its frames one at a time.
import { Pool } from 'wasi:buffer-pool/buffer-pool';
import { Device } from 'wasi:sensor/sensor';
import { Image } from 'wasi:vision/image@0.1.0-draft';
import { nowUs, sleepMs } from './cli.js';
import { EdgeError, call, drop } from './errors.js';

/**
 * @typedef {import('wasi:buffer-pool/buffer-pool').FrameInfo} FrameInfo
 * @typedef {import('wasi:buffer-pool/buffer-pool').BufferingMode} BufferingMode
 * @typedef {import('wasi:buffer-pool/data-types').Dimension} Dimension
 * @typedef {import('wasi:sensor/property').Fraction} Fraction
 * @typedef {{ pool?: string, buffers?: number, mode?: BufferingMode }} CameraOptions
 * @typedef {{ count?: number, idleMs?: number, onReadError?: (e: EdgeError) => void, timed?: boolean }} FrameOptions
 */

export class Camera {
  /**
   * Opens and starts the camera. A pool whose name ends in -hm delivers host-memory frames: the
   * pixels stay in the host and wasi:vision wraps them without a copy. Eight buffers: a short
   * sequence never drops a frame.
   * @param {string} name
   * @param {CameraOptions} [options]
   */
  static open(name, { pool = 'camera-hm', buffers = 8, mode = 'buffering-discard' } = {}) {
    const device = call(`device.open(${name})`, () => Device.open(name));
    const dimension = property(device, 'dimension');
    const rate = property(device, 'sampling-rate');
    const frameBytes = dimension.strideBytes ? dimension.strideBytes * dimension.height : dimension.width * dimension.height * 4;
    const created = call('pool.create', () => Pool.create(mode, frameBytes, buffers, pool));
    call('device.start', () => device.start(pool));
    return new Camera(name, device, created, pool, dimension, rate);
  }

  /**
   * @param {string} name
   * @param {Device} device
   * @param {Pool} pool
   * @param {string} poolName
   * @param {Dimension} dimension
   * @param {Fraction} rate
   */
  constructor(name, device, pool, poolName, dimension, rate) {
    this.name = name;
    this.device = device;
    this.pool = pool;
    this.poolName = poolName;
    this.dimension = dimension;
    this.rate = rate;
    this.ready = pool.subscribe();
    // Without a frame count, a camera that delivered nothing for five frame periods (at least half
    // a second) has stopped: a non-looping sequence has ended, or the camera stalled.
    const periodMs = rate.numerator ? (1000 * rate.denominator) / rate.numerator : 0;
    this.idleMs = Math.max(500, 5 * periodMs);
    /** With `timed`: microseconds the last frame took to arrive, and to read. */
    this.last = { waitUs: 0, readUs: 0 };
  }

  /**
   * The frames, one at a time. With a count, exactly that many, blocking for each; without one (0),
   * until the camera delivers nothing for `idleMs`. A failed read-frames throws, unless
   * `onReadError` is given: it is called with the error and the loop goes on. `timed` fills
   * `last` (two clock readings per frame, each a host call: off by default).
   * @param {FrameOptions} [options]
   * @returns {Generator<FrameInfo, void, void>}
   */
  *frames({ count = 0, idleMs = this.idleMs, onReadError, timed = false } = {}) {
    for (let n = 0; count <= 0 || n < count; ) {
      const t0 = timed ? nowUs() : 0;
      if (!this.wait(count > 0, idleMs)) return;
      const t1 = timed ? nowUs() : 0;
      let got;
      try {
        got = call('read-frames', () => this.pool.readFrames(1));
      } catch (e) {
        if (!onReadError || !(e instanceof EdgeError)) throw e;
        onReadError(e);
        continue;
      }
      if (got.length === 0) continue;
      if (timed) this.last = { waitUs: t1 - t0, readUs: nowUs() - t1 };
      n++;
      yield /** @type {FrameInfo} */ (got[0]);
    }
  }

  /**
   * @param {boolean} block
   * @param {number} idleMs
   */
  wait(block, idleMs) {
    if (block) {
      this.ready.block();
      return true;
    }
    const start = nowUs();
    while (!this.ready.ready()) {
      if (nowUs() - start > idleMs * 1000) return false;
      sleepMs(2);
    }
    return true;
  }

  /**
   * After read-frames said hardware-error (the camera went away and the host stopped it): starts
   * it again every `intervalMs` until it is back. Returns the milliseconds that took.
   * @param {number} [intervalMs]
   */
  restart(intervalMs = 100) {
    const lost = nowUs();
    for (;;) {
      sleepMs(intervalMs);
      try {
        this.device.start(this.poolName);
        break;
      } catch (e) {
        const err = /** @type {{ payload?: unknown }} */ (e);
        if (err?.payload === 'busy') break; // it is running already
        if (err?.payload === undefined) throw e;
      }
    }
    return Math.floor((nowUs() - lost) / 1000);
  }

  close() {
    drop(this.ready);
    call('device.stop', () => this.device.stop());
    drop(this.pool);
    drop(this.device);
  }
}

/**
 * A wasi:vision image of a frame's first entry. Host memory is wrapped without a copy and goes back
 * to the pool when the image is dropped; a by-value frame is copied into the host.
 * @param {FrameInfo} frame
 */
export function frameImage(frame) {
  const [first, ...rest] = frame.data;
  // Entries the app does not use must not hold pool buffers until the garbage collector runs.
  for (const d of rest) if (d.tag === 'host-memory') drop(d.val);
  if (!first) throw new EdgeError('from-frame', 'invalid-argument', 'the frame has no data');
  return call('from-frame', () => Image.fromFrame(first));
}

/**
 * @template {'dimension' | 'sampling-rate'} K
 * @param {Device} device
 * @param {K} key
 * @returns {K extends 'dimension' ? Dimension : Fraction}
 */
function property(device, key) {
  const v = call(`get-property ${key}`, () => device.getProperty(key));
  const want = key === 'dimension' ? 'dimension' : 'fraction';
  if (v.tag !== want) throw new EdgeError(`get-property ${key}`, 'invalid-argument', `the host answered with a ${v.tag}`);
  return /** @type {any} */ (v.val);
}

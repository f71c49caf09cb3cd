/**
 * The behaviour every `SensorDevice` (src/sensor/devices/device.ts) must have, and the host's half
 * of that contract (a frame is rendered at most once; frames a ring lost are counted, never
 * rendered). The rules are those of the interface's comments and docs/spec-notes/sensor.md:
 * frames are pulled (`collect(now)`: captured at or before now, not yet collected, oldest first);
 * a clocked device captures frame k at start + ceil(k·10⁹·den/num) ns and loses none; a ring
 * camera loses the oldest frames a slow reader misses and says how many (`overrun`); properties
 * change only while stopped (`busy`, as V4L2 answers EBUSY); a device that goes away delivers
 * what it captured, then throws `hardware-error` once and is stopped. Run by sensor-device.test.ts
 * against every device kind.
 */
import assert from 'node:assert/strict';
import { SensorFailure } from '../../src/sensor/fault.js';
import { PIXEL_FORMATS, type Capabilities, type Layout, type PixelFormat, type Rate } from '../../src/sensor/pixels.js';
import type { CapturedFrames, DeviceEnvironment } from '../../src/sensor/devices/device.js';
import { VirtualSensorClock } from '../../src/sensor/clock.js';
import { codeOf, harness, ms } from '../sensor/helpers.js';
import { Inapplicable, failsWith, type Contract, type Property } from './contract.js';
import type { DeviceUnderTest } from './sensor-device-under-test.js';
import { sensorSpy } from './sensor-spy.js';

/** Bytes per pixel of the raw formats (wasi:buffer-pool's data-types); mjpeg is variable. */
const BPP: Record<PixelFormat, number> = { gray: 1, rgb24: 3, bgr24: 3, argb32: 4, abgr32: 4, yuy2: 2, mjpeg: 0 };

const fails = (f: () => unknown, codes: readonly string[], what: string) => failsWith(f, SensorFailure, codes, what);

function assertLayoutWithin(l: Layout, caps: Capabilities, what: string): void {
  assert.ok(caps.formats.includes(l.pixelFormat), `${what}: ${l.pixelFormat} is not among ${caps.formats.join(', ')}`);
  assert.ok(Number.isInteger(l.width) && l.width >= 1 && l.width <= caps.maxWidth, `${what}: width ${l.width} outside 1..${caps.maxWidth}`);
  assert.ok(Number.isInteger(l.height) && l.height >= 1 && l.height <= caps.maxHeight, `${what}: height ${l.height} outside 1..${caps.maxHeight}`);
  if (l.pixelFormat === 'mjpeg') assert.equal(l.strideBytes, 0, `${what}: mjpeg has no stride`);
  else {
    const row = l.width * BPP[l.pixelFormat];
    assert.ok(l.strideBytes >= row && l.strideBytes <= row + 4096, `${what}: stride ${l.strideBytes} for a ${row}-byte row`);
  }
  if (l.pixelFormat === 'yuy2') assert.equal(l.width % 2, 0, `${what}: yuy2 needs an even width`);
}

/** What a frame of `layout` must look like once rendered. */
function assertFrame(px: Uint8Array, layout: Layout, what: string): void {
  assert.ok(px instanceof Uint8Array, `${what}: render returned ${typeof px}`);
  if (layout.pixelFormat === 'mjpeg') {
    assert.ok(px.length > 4 && px[0] === 0xff && px[1] === 0xd8 && px.at(-2) === 0xff && px.at(-1) === 0xd9, `${what}: not a whole JPEG`);
  } else assert.equal(px.length, layout.strideBytes * layout.height, `${what}: ${px.length} bytes for a ${layout.width}x${layout.height} ${layout.pixelFormat} frame of stride ${layout.strideBytes}`);
}

/** The frames of a batch that were not lost (to an overrun, or a driver's sequence gap). */
const whole = (f: CapturedFrames) => Array.from({ length: f.count - (f.overrun ?? 0) }, (_, j) => j + (f.overrun ?? 0)).filter((i) => !f.lost?.(i));

/** Starts the device at the host's now, lets `n` frames be captured, and collects them. */
function capture(t: DeviceUnderTest, n: number): { t0: bigint; now: bigint; frames: CapturedFrames } {
  const t0 = t.clock.now();
  t.device.start(t0);
  const now = t.await(n);
  const frames = t.device.collect(now);
  assert.ok(frames.count >= n, `${n} frames were due, collect returned ${frames.count}`);
  return { t0, now, frames };
}

/** The rule of docs/spec-notes/sensor.md for clocked devices: frame k at t0 + ceil(k·10⁹·den/num). */
const dueAt = (t0: bigint, rate: Rate, k: number) =>
  t0 + (BigInt(k) * 1_000_000_000n * BigInt(rate.denominator) + BigInt(rate.numerator) - 1n) / BigInt(rate.numerator);

const sameRate = (a: Rate, b: Rate) => a.numerator * b.denominator === b.numerator * a.denominator;

const properties: Property<DeviceUnderTest>[] = [
  {
    name: 'advertises a layout and a rate within its capabilities, and hands out copies of them',
    run({ device }) {
      const caps = device.capabilities;
      assertLayoutWithin(device.getLayout(), caps, 'the layout');
      const r = device.getRate();
      assert.ok(Number.isInteger(r.numerator) && r.numerator >= 1 && Number.isInteger(r.denominator) && r.denominator >= 1, `rate ${r.numerator}/${r.denominator}`);
      const fps = r.numerator / r.denominator;
      assert.ok(fps >= caps.minFps && fps <= caps.maxFps, `${fps} fps outside ${caps.minFps}..${caps.maxFps}`);
      const before = { layout: device.getLayout(), rate: device.getRate() };
      device.getLayout().width += 2;
      device.getRate().numerator += 1;
      assert.deepEqual({ layout: device.getLayout(), rate: device.getRate() }, before, 'changing what a getter returned changed the device');
    },
  },
  {
    name: 'refuses a malformed rate (invalid-argument) or one outside its range (out-of-range), keeping its own; takes one within',
    run({ device }) {
      const caps = device.capabilities;
      const before = device.getRate();
      fails(() => device.setRate({ numerator: 0, denominator: 1 }), ['invalid-argument'], 'a rate of 0/1');
      fails(() => device.setRate({ numerator: 1, denominator: 0 }), ['invalid-argument'], 'a rate of 1/0');
      fails(() => device.setRate({ numerator: Math.floor(caps.maxFps) * 2 + 2, denominator: 1 }), ['out-of-range'], 'twice the highest rate');
      if (caps.minFps > 0) fails(() => device.setRate({ numerator: 1, denominator: Math.ceil(1 / caps.minFps) * 2 + 1 }), ['out-of-range'], 'half the lowest rate');
      assert.deepEqual(device.getRate(), before, 'a refused rate changed the device');
      const other = [5, 15, 20, 2, 1, 30].map((n) => ({ numerator: n, denominator: 1 })).find((r) => r.numerator >= caps.minFps && r.numerator <= caps.maxFps && !sameRate(r, before));
      if (!other) throw new Inapplicable('no other whole rate within its range');
      device.setRate(other);
      assert.deepEqual(device.getRate(), other);
    },
  },
  {
    name: 'refuses layouts outside its capabilities (invalid-argument, out-of-range), or any when its layout is fixed (not-supported), keeping its own',
    run({ device }) {
      const caps = device.capabilities;
      const before = device.getLayout();
      if (!caps.layoutSettable) {
        fails(() => device.setLayout(before), ['not-supported'], 'a fixed layout set to itself');
        fails(() => device.setLayout({ ...before, width: 2, height: 2, strideBytes: 0 }), ['not-supported'], 'a fixed layout set to another');
      } else {
        const f = before.pixelFormat;
        fails(() => device.setLayout({ ...before, width: 0, strideBytes: 0 }), ['invalid-argument'], 'a width of 0');
        if (f !== 'mjpeg') fails(() => device.setLayout({ ...before, strideBytes: before.width * BPP[f] - 1 }), ['invalid-argument'], 'a stride shorter than a row');
        fails(() => device.setLayout({ ...before, width: caps.maxWidth + 2, strideBytes: 0 }), ['out-of-range'], 'a width beyond the maximum');
        fails(() => device.setLayout({ ...before, height: caps.maxHeight + 1, strideBytes: 0 }), ['out-of-range'], 'a height beyond the maximum');
        const missing = PIXEL_FORMATS.find((p) => !caps.formats.includes(p) && p !== 'mjpeg' && p !== 'yuy2');
        if (missing) fails(() => device.setLayout({ ...before, pixelFormat: missing, strideBytes: 0 }), ['out-of-range'], `${missing}, which it does not advertise`);
      }
      assert.deepEqual(device.getLayout(), before, 'a refused layout changed the device');
    },
  },
  {
    name: 'takes a layout within its capabilities (stride 0: packed rows), and the frames captured after carry it',
    skip: (t) => (t.device.capabilities.layoutSettable ? undefined : 'its layout is fixed'),
    run(t) {
      const { device } = t;
      const before = device.getLayout();
      const format = device.capabilities.formats.find((p) => p !== before.pixelFormat) ?? before.pixelFormat;
      const width = Math.max(2, Math.floor(before.width / 4) * 2);
      const height = Math.max(1, Math.floor(before.height / 2));
      device.setLayout({ width, height, strideBytes: 0, pixelFormat: format });
      const want = { width, height, strideBytes: width * BPP[format], pixelFormat: format };
      assert.deepEqual(device.getLayout(), want);
      const { frames } = capture(t, 1);
      assert.deepEqual(frames.layout, want, 'the batch layout');
      const i = whole(frames)[0]!;
      assertFrame(frames.render(i), want, 'a frame after the change');
    },
  },
  {
    name: 'changes nothing while running: set-property is busy (a fixed layout: not-supported), and its frames keep their layout',
    run(t) {
      const { device } = t;
      const layout = device.getLayout();
      const rate = device.getRate();
      capture(t, 1);
      fails(() => device.setRate(rate), ['busy'], 'set-property(sampling-rate) while running');
      fails(() => device.setLayout(layout), [device.capabilities.layoutSettable ? 'busy' : 'not-supported'], 'set-property(dimension) while running');
      assert.deepEqual({ layout: device.getLayout(), rate: device.getRate() }, { layout, rate });
      const f = device.collect(t.await(1));
      assert.ok(f.count >= 1);
      assert.deepEqual(f.layout, layout);
    },
  },
  {
    name: 'captures frames only while started, each once and oldest first, stamped between its start and the collect',
    run(t) {
      const { device, clock } = t;
      t.pass(500);
      assert.equal(device.collect(clock.now()).count, 0, 'frames before start');
      const { t0, now, frames } = capture(t, 3);
      const asynchronous = device.asynchronous;
      const looked = clock.now();
      let last = -1n;
      for (const i of whole(frames)) {
        const ts = frames.timestamp(i);
        assert.ok(ts >= t0, `frame ${i} stamped ${ts}, before the start at ${t0}`);
        // A live camera's frames are what arrived by the time the host looked.
        assert.ok(ts <= (asynchronous ? looked : now), `frame ${i} stamped ${ts}, after the collect at ${now}`);
        assert.ok(ts > last, `frame ${i} stamped ${ts}, not after the one before (${last})`);
        last = ts;
      }
      if (!asynchronous) assert.equal(device.collect(now).count, 0, 'a second collect at the same moment returned frames again');
      const again = device.collect(t.await(2));
      for (const i of whole(again)) {
        assert.ok(again.timestamp(i) > last, `a later collect returned a frame stamped ${again.timestamp(i)}, not after ${last}`);
        last = again.timestamp(i);
      }
    },
  },
  {
    name: 'its frame numbers run on across collects, without a gap or a repeat',
    run(t) {
      const read = t.kind.frameNumber;
      if (!read) throw new Inapplicable('its frames carry no frame number');
      const mod = t.kind.frameNumberModulo ?? 2 ** 32;
      const { frames } = capture(t, 2);
      let counted = 0;
      const seen: string[] = [];
      for (let f = frames, round = 0; round < 4; f = t.device.collect(t.await(2)), round++) {
        for (const i of whole(f)) {
          const px = f.render(i);
          if (px.length === 0) continue; // overwritten while it was copied: lost, and said so
          const n = read(px, f.layout);
          if (n === undefined) throw new Inapplicable(`a ${f.layout.pixelFormat} frame carries no frame number`);
          seen.push(String(n));
          assert.equal(n, (counted + i) % mod, `frame ${counted + i} since the start shows number ${n} (seen: ${seen.join(' ')})`);
        }
        counted += f.count;
      }
    },
  },
  {
    name: 'a clocked device\'s deadline is the capture time of its next frame; a live one has none and bumps the wake cell for every frame',
    run(t) {
      const { device, clock } = t;
      assert.equal(device.nextDeadline(), undefined, 'a deadline while stopped');
      if (device.asynchronous) {
        const w0 = Atomics.load(t.env.wake, 0);
        const { frames } = capture(t, 2);
        assert.equal(device.nextDeadline(), undefined, 'a live device announced a deadline');
        assert.ok(Atomics.load(t.env.wake, 0) - w0 >= frames.count, `${frames.count} frames, ${Atomics.load(t.env.wake, 0) - w0} wake-ups`);
        return;
      }
      const t0 = clock.now();
      device.start(t0);
      const rate = device.getRate();
      for (let k = 0; k < 3; k++) {
        const d = device.nextDeadline();
        assert.equal(d, dueAt(t0, rate, k), `the deadline of frame ${k}`);
        if (d! > t0) assert.equal(device.collect(d! - 1n).count, 0, `frame ${k} collected 1 ns before its deadline`);
        const f = device.collect(d!);
        assert.equal(f.count, 1, `collect at the deadline of frame ${k}`);
        assert.equal(f.timestamp(0), d);
      }
      device.stop();
      assert.equal(device.nextDeadline(), undefined, 'a deadline after stop');
    },
  },
  {
    name: 'renders a frame in its batch\'s layout, at its size, with or without a buffer to fill',
    run(t) {
      const layout = t.device.getLayout();
      const { frames } = capture(t, 2);
      assert.deepEqual(frames.layout, layout, 'the batch layout is the layout it was captured in');
      const [a, b] = whole(frames);
      assertFrame(frames.render(a!), layout, 'render(i)');
      if (b !== undefined && layout.pixelFormat !== 'mjpeg') {
        const into = new Uint8Array(layout.strideBytes * layout.height);
        assertFrame(frames.render(b, into), layout, 'render(i, into)');
      }
    },
  },
  {
    name: 'a deferrable frame rendered later has the bytes it would have had at once',
    run(t) {
      const { frames, t0, now } = capture(t, 3);
      if (!frames.deferrable) throw new Inapplicable('its frames are rendered when collected (deferrable: false)');
      const twin = t.another();
      twin.start(t0);
      const late = twin.collect(now);
      assert.equal(late.count, frames.count, 'a second device of the kind, started at the same time');
      const atOnce = frames.render(0).slice();
      // The twin moves on first (more frames collected and rendered), then renders frame 0.
      const next = twin.collect(t.await(2));
      next.render(next.count - 1);
      assert.ok(Buffer.from(late.render(0)).equals(Buffer.from(atOnce)), 'frame 0 rendered late differs from frame 0 rendered at once');
    },
  },
  {
    name: 'a stable frame\'s buffer is never changed by later renders',
    run(t) {
      const { frames } = capture(t, 3);
      if (!frames.stable) throw new Inapplicable('its frames are not stable (render fills a fresh buffer each time)');
      const first = frames.render(0);
      const snapshot = first.slice();
      frames.render(1, new Uint8Array(first.length));
      frames.render(2);
      const more = t.device.collect(t.await(10));
      for (let i = 0; i < more.count; i++) more.render(i, i % 2 ? new Uint8Array(first.length) : undefined);
      assert.ok(Buffer.from(first).equals(Buffer.from(snapshot)), 'a stable buffer changed');
    },
  },
  {
    name: 'entries that follow the pixels (on-sensor results) are whole images of their own layout',
    run(t) {
      const { frames } = capture(t, 1);
      if (!frames.extra) throw new Inapplicable('its frames have no entries beyond the pixels');
      const px = frames.render(0);
      const extra = frames.extra(0, px);
      assert.ok(extra.length >= 1, 'extra() returned no entries');
      for (const e of extra) {
        assert.ok(e.layout.pixelFormat !== 'mjpeg', 'a by-value entry of variable size');
        assert.equal(e.payload.length, e.layout.strideBytes * e.layout.height, `an entry of ${e.payload.length} bytes for layout ${JSON.stringify(e.layout)}`);
      }
    },
  },
  {
    name: 'a slow reader: every frame it missed is counted; a clocked device loses none, a ring loses the oldest (overrun) and never delivers one twice',
    run(t) {
      const { device, clock } = t;
      const ring = t.kind.ringFrames;
      const queue = t.kind.driverQueue;
      if (queue !== undefined) {
        const read = t.kind.frameNumber;
        const mod = t.kind.frameNumberModulo ?? 2 ** 32;
        const { frames } = capture(t, 1);
        let counted = frames.count;
        // Three queues' worth of frame periods go by unread.
        const { numerator, denominator } = device.getRate();
        t.pass((3 * queue * 1000 * denominator) / numerator);
        const seen: number[] = [];
        let overrun = 0;
        for (let round = 0; round < 3; round++) {
          const f = device.collect(round === 0 ? clock.now() : t.await(1));
          overrun += (f.overrun ?? 0) + Array.from({ length: f.count }, (_, i) => i).filter((i) => f.lost?.(i)).length;
          // Delivered, not counted: a buffer queued back at the start of a collect can be refilled
          // before its dequeue loop ends, so one batch may span more sequence numbers than the queue
          // holds; the frames dropped inside that span are lost, not delivered (test/sensor/v4l2/device.test.ts).
          const delivered = whole(f);
          if (round === 0) assert.ok(delivered.length <= queue, `${delivered.length} frames delivered from a queue of ${queue} (batch of ${f.count}, overrun ${f.overrun ?? 0})`);
          for (const i of delivered) {
            const n = read?.(f.render(i), f.layout);
            if (n !== undefined) {
              seen.push(n);
              assert.equal(n, (counted + i) % mod, `frame ${counted + i} since the start shows number ${n} (seen ${seen.join(' ')}): a frame repeated or uncounted`);
            }
          }
          counted += f.count;
        }
        assert.ok(overrun >= 1, 'the frames the driver dropped while its queue was full were not counted (overrun or lost)');
        assert.ok(counted >= 3 * queue, `${3 * queue} frame periods went by, ${counted} frames counted`);
        return;
      }
      if (ring === undefined) {
        assert.ok(!device.asynchronous && clock instanceof VirtualSensorClock, 'a live device without a ring size');
        const t0 = clock.now();
        device.start(t0);
        const rate = device.getRate();
        // 50 frame periods unread: frames 0..50 are due, none is lost.
        const now = dueAt(t0, rate, 50);
        clock.advance(now - t0);
        const f = device.collect(now);
        assert.equal(f.count, 51, 'frames due in 50 periods');
        assert.equal(f.overrun ?? 0, 0, 'a clocked device lost frames');
        for (const k of [0, 1, 25, 50]) assert.equal(f.timestamp(k), dueAt(t0, rate, k), `frame ${k}'s timestamp`);
        return;
      }
      const read = t.kind.frameNumber;
      const { frames } = capture(t, 1);
      let counted = frames.count;
      // Then three rings' worth of frames go by unread.
      const f = device.collect(t.await(3 * ring));
      const overrun = f.overrun ?? 0;
      assert.ok(f.count >= 3 * ring, `${3 * ring} frames went by, collect counted ${f.count}`);
      assert.ok(overrun >= 1, 'a ring that wrapped reported no overrun');
      assert.ok(f.count - overrun <= ring, `${f.count - overrun} frames delivered from a ring of ${ring}`);
      const mod = t.kind.frameNumberModulo ?? 2 ** 32;
      for (const i of whole(f)) {
        const px = f.render(i);
        if (px.length === 0) continue; // overwritten while it was copied: lost, and said so
        const n = read?.(px, f.layout);
        if (n !== undefined) assert.equal(n, (counted + i) % mod, `frame ${counted + i} since the start shows number ${n}: a frame repeated or uncounted`);
      }
      counted += f.count;
      const after = device.collect(t.await(1));
      for (const i of whole(after)) {
        const n = read?.(after.render(i), after.layout);
        if (n !== undefined) assert.equal(n, (counted + i) % mod, `the numbering after the overrun: frame ${counted + i} shows ${n}`);
      }
    },
  },
  {
    name: 'unplugged while running: what it captured is delivered, then hardware-error once, then it is stopped; it starts again once back',
    skip: (t) => (t.kind.unplug ? undefined : 'this device cannot go away'),
    run(t) {
      const { device, clock, kind } = t;
      device.start(clock.now());
      const captured = 2;
      t.await(captured);
      kind.unplug!(device);
      let delivered = 0;
      let failure: SensorFailure | undefined;
      for (let round = 0; round < 50 && !failure; round++) {
        try {
          delivered += device.collect(clock.now()).count;
          t.pass(20);
        } catch (e) {
          assert.ok(e instanceof SensorFailure, `collect threw ${String(e)}`);
          failure = e;
        }
      }
      assert.equal(failure?.code, 'hardware-error', 'the failure collect reported');
      // A driver queue's frames still in the driver when it goes away are lost with it: the kernel
      // answers ENODEV to every call on an unregistered node, DQBUF included (docs/spec-notes/sensor.md).
      const owed = kind.driverQueue === undefined ? captured : 0;
      assert.ok(delivered >= owed, `${captured} frames were captured before the unplug, ${delivered} delivered`);
      // Once: the device is stopped now.
      t.pass(200);
      assert.equal(device.collect(clock.now()).count, 0, 'frames after the failure');
      assert.equal(device.nextDeadline(), undefined, 'a deadline after the failure');
      if (kind.replug) {
        fails(() => device.start(clock.now()), ['hardware-error'], 'start while unplugged');
        kind.replug(device);
      }
      device.start(clock.now());
      assert.ok(device.collect(t.await(1)).count >= 1, 'no frames after it came back');
    },
  },
  {
    name: 'stop and close are idempotent; a stopped or closed device delivers nothing; a restarted one delivers frames stamped after its new start',
    run(t) {
      const { device, clock } = t;
      device.stop();
      capture(t, 1);
      device.stop();
      device.stop();
      t.pass(300);
      assert.equal(device.collect(clock.now()).count, 0, 'frames after stop');
      assert.equal(device.nextDeadline(), undefined, 'a deadline after stop');
      const t1 = clock.now();
      device.start(t1);
      const f = device.collect(t.await(2));
      assert.ok(f.count >= 2, 'frames after the restart');
      for (const i of whole(f)) assert.ok(f.timestamp(i) >= t1, `frame ${i} stamped ${f.timestamp(i)}, before the restart at ${t1}`);
      device.close();
      device.close();
      t.pass(300);
      assert.equal(device.collect(clock.now()).count, 0, 'frames after close');
      assert.equal(device.nextDeadline(), undefined, 'a deadline after close');
    },
  },
  {
    name: 'through a pool: a slow reader\'s lost frames are counted as dropped, no frame is rendered twice, dropped and overrun ones never',
    run(t) {
      const spy = sensorSpy();
      const h = harness({ clock: t.kind.clock, devices: { dut: { kind: 'custom', open: (env: DeviceEnvironment) => spy.wrap(t.kind.open(env)) } } });
      try {
        const d = h.Device.open('dut');
        const pool = h.Pool.create('buffering-overwrite', 0, 2, 'p');
        d.start('p');
        // set-property while started is busy, whatever the key (docs/spec-notes/sensor.md § Properties while started).
        assert.equal(codeOf(() => d.setProperty('sampling-rate', d.getProperty('sampling-rate'))), 'busy');
        assert.equal(codeOf(() => d.setProperty('dimension', d.getProperty('dimension'))), 'busy');
        const sub = pool.subscribe();
        const seqs: bigint[] = [];
        for (let round = 0; round < 6; round++) {
          sub.block();
          // More frames than the pool holds arrive before the reader looks again.
          if (t.kind.clock === 'virtual') h.clock.advance(ms(1000));
          else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
          for (const frame of pool.readFrames(1n)) seqs.push(frame.sequenceNumber);
        }
        d.stop();
        const s = pool.getStatistics();
        const queued = BigInt(pool.inner.queued);
        const collected = spy.batches.reduce((n, b) => n + b.count, 0);
        const overrun = spy.batches.reduce((n, b) => n + b.overrun, 0);
        assert.equal(s.enqueued, BigInt(collected), 'every frame the device handed over is enqueued (overrun ones too)');
        assert.equal(s.enqueued, s.dequeued + s.dropped + queued, 'enqueued = dequeued + dropped + queued');
        assert.ok(s.dropped >= BigInt(Math.max(1, overrun)), `a reader of one frame in six rounds lost ${s.dropped} (overrun ${overrun})`);
        for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `sequence numbers ${seqs.join(' ')}`);
        let rendered = 0;
        for (const b of spy.batches) {
          b.renders.forEach((r, i) => {
            assert.ok(r <= 1, `a frame was rendered ${r} times`);
            if (i < b.overrun) assert.equal(r, 0, 'a frame lost to an overrun was rendered');
            if (b.lost.includes(i)) assert.equal(r, 0, 'a frame the device said was lost was rendered');
            rendered += r;
          });
        }
        if (spy.batches.every((b) => b.deferrable)) {
          assert.ok(BigInt(rendered) <= s.dequeued + queued, `${rendered} deferrable frames rendered, ${s.dequeued} delivered and ${queued} queued: dropped ones were rendered`);
        }
      } finally {
        h.provider.dispose();
      }
    },
  },
];

export const sensorDeviceContract: Contract<DeviceUnderTest> = { name: 'SensorDevice', properties };

/**
 * An embedder's own device (the `custom` kind), written against the public
 * `wasi-edge-host/sensor` entry only, as an embedder would: a clocked gray camera whose frame k is
 * k mod 256 in every pixel, rendered at once (not deferrable), so the host must copy its frames
 * out when it collects them. It shares no code with the built-in devices: the SensorDevice
 * contract holds for it on its own terms.
 */
import { SensorFailure, checkLayout, checkRate, type Capabilities, type CapturedFrames, type Layout, type Rate, type SensorDevice } from '../../src/sensor/index.js';

export class CounterCamera implements SensorDevice {
  readonly description = 'counter camera (custom)';
  readonly asynchronous = false;
  readonly capabilities: Capabilities = { formats: ['gray'], maxWidth: 64, maxHeight: 64, minFps: 1, maxFps: 240, layoutSettable: true };
  private layout: Layout = { width: 8, height: 6, strideBytes: 8, pixelFormat: 'gray' };
  private rate: Rate = { numerator: 20, denominator: 1 };
  /** While running: the start time and the next frame number to hand out. */
  private run: { start: bigint; next: bigint } | undefined;

  getRate(): Rate {
    return { ...this.rate };
  }
  setRate(rate: Rate): void {
    if (this.run) throw new SensorFailure('busy', 'stop the counter camera first');
    this.rate = checkRate(rate, this.capabilities);
  }
  getLayout(): Layout {
    return { ...this.layout };
  }
  setLayout(layout: Layout): void {
    if (this.run) throw new SensorFailure('busy', 'stop the counter camera first');
    this.layout = checkLayout(layout, this.capabilities);
  }
  start(now: bigint): void {
    this.run = { start: now, next: 0n };
  }
  stop(): void {
    this.run = undefined;
  }
  close(): void {
    this.run = undefined;
  }

  /** Frame k is captured at start + ceil(k · 10⁹ · den / num) ns. */
  private at(k: bigint): bigint {
    const { numerator: n, denominator: d } = this.rate;
    return this.run!.start + (k * 1_000_000_000n * BigInt(d) + BigInt(n) - 1n) / BigInt(n);
  }

  nextDeadline(): bigint | undefined {
    return this.run ? this.at(this.run.next) : undefined;
  }

  collect(now: bigint): CapturedFrames {
    const layout = { ...this.layout };
    const first = this.run?.next ?? 0n;
    let count = 0;
    while (this.run && this.at(first + BigInt(count)) <= now) count++;
    if (this.run) this.run.next = first + BigInt(count);
    const stamps = Array.from({ length: count }, (_, i) => this.at(first + BigInt(i)));
    const size = layout.strideBytes * layout.height;
    return {
      count,
      layout,
      deferrable: false,
      timestamp: (i) => stamps[i]!,
      render: (i, into) => (into ?? new Uint8Array(size)).fill(Number((first + BigInt(i)) % 256n)),
    };
  }
}

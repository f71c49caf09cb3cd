/**
 * What the clocked devices (test pattern, image fixture) share: frames are a function of the
 * frame number, due by the rate from `start` (device.ts `Ticker`); the rate and layout change
 * only while stopped (`busy`).
 */
import { checkLayout, checkRate, type Capabilities, type Layout, type Rate } from '../pixels.js';
import { Ticker, type CapturedFrames, type SensorDevice } from './device.js';

export abstract class ClockedDevice implements SensorDevice {
  readonly asynchronous = false;
  protected layout: Layout;
  protected readonly ticker: Ticker;

  constructor(
    readonly description: string,
    readonly capabilities: Capabilities,
    layout: Layout,
    rate: Rate,
  ) {
    this.layout = checkLayout(layout, capabilities);
    this.ticker = new Ticker(checkRate(rate, capabilities));
  }

  abstract setLayout(layout: Layout): void;
  abstract collect(now: bigint): CapturedFrames;

  getRate(): Rate {
    return this.ticker.getRate();
  }

  setRate(rate: Rate): void {
    this.ticker.changeRate(rate, this.capabilities);
  }

  getLayout(): Layout {
    return { ...this.layout };
  }

  start(now: bigint): void {
    this.ticker.start(now);
  }

  stop(): void {
    this.ticker.stop();
  }

  nextDeadline(): bigint | undefined {
    return this.ticker.deadline();
  }

  close(): void {
    this.ticker.stop();
  }
}

/**
 * A deterministic camera: frame n of a W×H stream is a function of (x, y, n), in any of the
 * seven pixel formats, at any size and rate. The pattern (docs/spec-notes/sensor.md):
 *
 *   R = (x + n) mod 256,  G = y mod 256,  B = (3(x + n) + 5y) mod 256
 *   except the first four pixels of row 0, which are gray (R = G = B) and hold byte x of n
 *   (little-endian), so the frame number survives conversion to gray and yuy2.
 *   Other formats are converted from this RGB (pixels.ts → src/core/pixels/: full-range BT.601
 *   luma for gray, limited-range BT.601 for yuy2, rounded once, half up);
 *   mjpeg is a quality-90 JPEG of it with a COM segment "frame=<n>".
 *
 * Rendering rgb24 costs a row copy per row: frame n is a horizontal shift of a precomputed
 * (W+256)-wide strip, because the pattern depends on x + n only (mod 256).
 */
import { fromRgb, type Capabilities, type Layout, type Rate, checkLayout, frameBytes } from '../pixels.js';
import { fault } from '../fault.js';
import { NO_FRAMES, type CapturedFrames } from './device.js';
import { ClockedDevice } from './clocked.js';

export interface TestPatternOptions {
  layout: Layout;
  rate: Rate;
  capabilities: Capabilities;
}

export function patternPixel(x: number, y: number, n: number): [number, number, number] {
  if (y === 0 && x < 4) {
    const v = Math.floor(n / 2 ** (8 * x)) & 255;
    return [v, v, v];
  }
  const u = x + n;
  return [u & 255, y & 255, (3 * u + 5 * y) & 255];
}

/** The packed RGB of frame n, width*height*3 bytes. */
export function patternRgb(width: number, height: number, n: number, strip?: Uint8Array, out?: Uint8Array): Uint8Array {
  const s = strip ?? patternStrip(width, height);
  const rgb = out ?? new Uint8Array(width * height * 3);
  const shift = (n & 255) * 3;
  const rowIn = (width + 256) * 3;
  for (let y = 0; y < height; y++) rgb.set(s.subarray(y * rowIn + shift, y * rowIn + shift + width * 3), y * width * 3);
  stampFrameNumber(rgb, width, n, 3, 0);
  return rgb;
}

function stampFrameNumber(buf: Uint8Array, width: number, n: number, bpp: number, offset: number): void {
  for (let x = 0; x < Math.min(4, width); x++) {
    const v = Math.floor(n / 2 ** (8 * x)) & 255;
    for (let c = 0; c < 3; c++) buf[x * bpp + offset + c] = v;
  }
}

/** The (W+256)-wide strip that every frame is a window of. */
export function patternStrip(width: number, height: number): Uint8Array {
  const rowLen = (width + 256) * 3;
  const strip = new Uint8Array(rowLen * height);
  for (let y = 0; y < height; y++) {
    for (let u = 0; u < width + 256; u++) {
      const i = y * rowLen + u * 3;
      strip[i] = u & 255;
      strip[i + 1] = y & 255;
      strip[i + 2] = (3 * u + 5 * y) & 255;
    }
  }
  return strip;
}

/** Frame n in `layout`, exactly as the device delivers it. */
export function patternFrame(layout: Layout, n: number): Uint8Array {
  return fromRgb(patternRgb(layout.width, layout.height, n), layout, undefined, `frame=${n}`);
}

export class TestPatternDevice extends ClockedDevice {
  private strip: Uint8Array | undefined;
  private rgbScratch: Uint8Array | undefined;

  constructor(description: string, options: TestPatternOptions) {
    super(description, options.capabilities, options.layout, options.rate);
  }

  setLayout(layout: Layout): void {
    if (this.ticker.running) fault('busy', 'stop the device before changing its dimension');
    const next = checkLayout(layout, this.capabilities);
    if (next.width !== this.layout.width || next.height !== this.layout.height) this.strip = undefined;
    this.layout = next;
  }

  collect(now: bigint): CapturedFrames {
    const { first, count } = this.ticker.take(now);
    if (count === 0) return NO_FRAMES(this.layout);
    const layout = this.layout;
    const ticker = this.ticker;
    return {
      count,
      layout,
      deferrable: true,
      timestamp: (i) => ticker.at(first + BigInt(i)),
      render: (i, into) => this.render(layout, Number(first + BigInt(i)), into),
    };
  }

  /** Frame n; rgb24 goes straight into `into` with row copies. */
  render(layout: Layout, n: number, into?: Uint8Array): Uint8Array {
    const { width, height } = layout;
    if (!this.strip || this.strip.length !== (width + 256) * 3 * height) this.strip = patternStrip(width, height);
    if (layout.pixelFormat === 'rgb24' && layout.strideBytes === width * 3) {
      return patternRgb(width, height, n, this.strip, into ?? new Uint8Array(frameBytes(layout)!));
    }
    if (!this.rgbScratch || this.rgbScratch.length !== width * height * 3) this.rgbScratch = new Uint8Array(width * height * 3);
    const rgb = patternRgb(width, height, n, this.strip, this.rgbScratch);
    return fromRgb(rgb, layout, layout.pixelFormat === 'mjpeg' ? undefined : into, `frame=${n}`);
  }

  override close(): void {
    super.close();
    this.strip = undefined;
    this.rgbScratch = undefined;
  }
}

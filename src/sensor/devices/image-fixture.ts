/**
 * A camera that plays a folder of PNG/JPEG files (sorted by name) at the configured rate,
 * looped or once. Its frame size is the images' size and cannot be changed (set-property of
 * `dimension` is `not-supported`); the pixel format is chosen in the configuration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { checkLayout, checkRate, fromRgb, type Capabilities, type Layout, type PixelFormat, type Rate } from '../pixels.js';
import { fault } from '../fault.js';
import { NO_FRAMES, Ticker, type CapturedFrames, type SensorDevice } from './device.js';

export interface ImageFixtureOptions {
  directory: string;
  rate: Rate;
  loop: boolean;
  pixelFormat: PixelFormat;
  maxFps: number;
}

/** Decodes one PNG or JPEG file to packed RGB. */
export function decodeToRgb(file: string): { width: number; height: number; rgb: Uint8Array } {
  const data = readFileSync(file);
  if (/\.png$/i.test(file)) {
    const png = decodePng(data);
    if (png.depth !== 8 || png.palette) throw new Error(`${file}: only 8-bit gray/RGB/RGBA PNGs are supported`);
    const { width, height, channels } = png;
    const src = png.data as Uint8Array;
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      const s = i * channels;
      if (channels < 3) {
        rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = src[s]!;
      } else {
        rgb[i * 3] = src[s]!;
        rgb[i * 3 + 1] = src[s + 1]!;
        rgb[i * 3 + 2] = src[s + 2]!;
      }
    }
    return { width, height, rgb };
  }
  const img = jpeg.decode(data, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) {
    rgb[i * 3] = img.data[i * 4]!;
    rgb[i * 3 + 1] = img.data[i * 4 + 1]!;
    rgb[i * 3 + 2] = img.data[i * 4 + 2]!;
  }
  return { width: img.width, height: img.height, rgb };
}

export function listImages(directory: string): string[] {
  return readdirSync(directory)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort()
    .map((f) => join(directory, f));
}

export class ImageFixtureDevice implements SensorDevice {
  readonly asynchronous = false;
  readonly capabilities: Capabilities;
  private readonly images: Uint8Array[] = [];
  private readonly rendered = new Map<number, Uint8Array>();
  private layout: Layout;
  private rate: Rate;
  private readonly ticker: Ticker;
  private readonly loop: boolean;
  /** Set once a non-looping device has delivered its last file. */
  private finished = false;

  constructor(readonly description: string, options: ImageFixtureOptions) {
    const files = listImages(options.directory);
    if (files.length === 0) throw new Error(`${options.directory}: no .png or .jpg files`);
    let width = 0;
    let height = 0;
    for (const file of files) {
      const img = decodeToRgb(file);
      if (this.images.length === 0) ({ width, height } = img);
      else if (img.width !== width || img.height !== height) {
        throw new Error(`${file} is ${img.width}x${img.height}; the other images are ${width}x${height}`);
      }
      this.images.push(img.rgb);
    }
    this.capabilities = {
      formats: [options.pixelFormat],
      maxWidth: width,
      maxHeight: height,
      minFps: 1 / 3600,
      maxFps: options.maxFps,
      layoutSettable: false,
    };
    this.layout = checkLayout({ width, height, strideBytes: 0, pixelFormat: options.pixelFormat }, this.capabilities);
    this.rate = checkRate(options.rate, this.capabilities);
    this.ticker = new Ticker(this.rate);
    this.loop = options.loop;
  }

  get frameCount(): number {
    return this.images.length;
  }

  getRate(): Rate {
    return { ...this.rate };
  }

  setRate(rate: Rate): void {
    if (this.ticker.running) fault('busy', 'stop the device before changing its sampling rate');
    this.rate = checkRate(rate, this.capabilities);
    this.ticker.setRate(this.rate);
  }

  getLayout(): Layout {
    return { ...this.layout };
  }

  setLayout(): void {
    fault('not-supported', 'an image-fixture device plays its files at their own size and format');
  }

  start(now: bigint): void {
    this.finished = false;
    this.ticker.start(now);
  }

  stop(): void {
    this.ticker.stop();
  }

  collect(now: bigint): CapturedFrames {
    let { first, count } = this.ticker.take(now);
    if (!this.loop) {
      const remaining = Number(BigInt(this.images.length) - first);
      count = Math.max(0, Math.min(count, remaining));
      if (first + BigInt(count) >= BigInt(this.images.length)) this.finished = true;
    }
    if (count === 0) return NO_FRAMES(this.layout);
    const ticker = this.ticker;
    return {
      count,
      layout: this.layout,
      deferrable: true,
      stable: true,
      timestamp: (i) => ticker.at(first + BigInt(i)),
      render: (i, into) => {
        const index = Number((first + BigInt(i)) % BigInt(this.images.length));
        let frame = this.rendered.get(index);
        if (!frame) {
          frame = fromRgb(this.images[index]!, this.layout);
          this.rendered.set(index, frame);
        }
        if (!into) return frame;
        into.set(frame);
        return into;
      },
    };
  }

  nextDeadline(): bigint | undefined {
    return this.finished ? undefined : this.ticker.deadline();
  }

  close(): void {
    this.ticker.stop();
  }
}

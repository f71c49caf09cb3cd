/**
 * A camera that plays a folder of PNG/JPEG files (sorted by name) at the configured rate,
 * looped or once. Its frame size is the images' size and cannot be changed (set-property of
 * `dimension` is `not-supported`); the pixel format is chosen in the configuration.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../core/codecs/index.js';
import { readRgba, writePixels, packedPlanes } from '../../core/pixels/index.js';
import { fromRgb, type PixelFormat, type Rate } from '../pixels.js';
import { fault } from '../fault.js';
import { NO_FRAMES, type CapturedFrames } from './device.js';
import { ClockedDevice } from './clocked.js';

export interface ImageFixtureOptions {
  directory: string;
  rate: Rate;
  loop: boolean;
  pixelFormat: PixelFormat;
  maxFps: number;
}

/** Largest image a fixture file may hold (jpeg-js's own default limit). */
const MAX_FIXTURE_PIXELS = 100_000_000;

/** Decodes one PNG or JPEG file (any kind the host's codecs read) to packed RGB; alpha is dropped. */
export function decodeToRgb(file: string): { width: number; height: number; rgb: Uint8Array } {
  let img;
  try {
    img = decodeImage(readFileSync(file), MAX_FIXTURE_PIXELS);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const { width, height, format, data } = img;
  if (format === 'rgb24') return { width, height, rgb: data };
  const rgba = format === 'rgba32' ? data : readRgba(data, format, width, height, packedPlanes(format, width, height));
  const rgb = new Uint8Array(width * height * 3);
  writePixels({ data: rgba, width, height, channels: 4 }, 'rgb24', rgb, packedPlanes('rgb24', width, height));
  return { width, height, rgb };
}

export function listImages(directory: string): string[] {
  return readdirSync(directory)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort()
    .map((f) => join(directory, f));
}

/** Decodes every image of a fixture folder; they must all be the same size. */
function loadImages(directory: string): { images: Uint8Array[]; width: number; height: number } {
  const files = listImages(directory);
  if (files.length === 0) throw new Error(`${directory}: no .png or .jpg files`);
  const images: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  for (const file of files) {
    const img = decodeToRgb(file);
    if (images.length === 0) ({ width, height } = img);
    else if (img.width !== width || img.height !== height) {
      throw new Error(`${file} is ${img.width}x${img.height}; the other images are ${width}x${height}`);
    }
    images.push(img.rgb);
  }
  return { images, width, height };
}

export class ImageFixtureDevice extends ClockedDevice {
  private readonly images: Uint8Array[];
  private readonly rendered = new Map<number, Uint8Array>();
  private readonly loop: boolean;
  /** Set once a non-looping device has delivered its last file. */
  private finished = false;

  constructor(description: string, options: ImageFixtureOptions) {
    const { images, width, height } = loadImages(options.directory);
    const capabilities = {
      formats: [options.pixelFormat],
      maxWidth: width,
      maxHeight: height,
      minFps: 1 / 3600,
      maxFps: options.maxFps,
      layoutSettable: false,
    };
    super(description, capabilities, { width, height, strideBytes: 0, pixelFormat: options.pixelFormat }, options.rate);
    this.images = images;
    this.loop = options.loop;
  }

  get frameCount(): number {
    return this.images.length;
  }

  setLayout(): void {
    fault('not-supported', 'an image-fixture device plays its files at their own size and format');
  }

  override start(now: bigint): void {
    this.finished = false;
    super.start(now);
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

  override nextDeadline(): bigint | undefined {
    return this.finished ? undefined : super.nextDeadline();
  }
}

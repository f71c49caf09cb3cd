/**
 * wasi:vision/image@0.1.0-draft for jco: the only file of src/vision that knows WIT shapes.
 * It maps WIT records/variants to the ops' plain types, op failures to `vision-error` values,
 * and keeps the `image` resource: a raster geometry plus reference-counted pixels that never
 * leave the host unless the guest calls `read` (counted in pixelBytesLowered) or `encode`
 * (compressed bytes, counted apart in encodedBytesLowered).
 */
import type * as Wit from '../generated/interfaces/wasi-vision-image.js';
import type { DataType, Dimension } from '../generated/interfaces/wasi-buffer-pool-data-types.js';
import { backendFailure } from '../core/backend-failure.js';
import type { ProviderContext, ProviderInstance } from '../core/provider.js';
import { WitError } from '../core/wit-error.js';
import type { VisionBackend } from './backends/backend.js';
import { type VisionBackendChoice, type VisionPlatform, selectVisionBackend } from './backends/select.js';
import { crop } from './crop.js';
import { drawPoints, drawRect } from './draw.js';
import { VisionFailure } from './failure.js';
import { type Format, type InputFormat, type PlaneLayout, type Raster, checkLayout, packed, packedSize } from './formats.js';
import { Pixels } from './pixels.js';
import { type Normalization, targetSize } from './to-tensor.js';

export interface VisionLimits {
  /** Largest image (width × height) the host creates: decoded, resized, converted or tensor target. */
  maxPixels: number;
  /** Largest byte buffer a guest may hand in (encoded file or raw pixels). */
  maxInputBytes: number;
  /** Images one host may hold at once (docs/hardening.md). */
  maxImages?: number;
  /** Pixel bytes all images owned by the host may hold together (frames borrowed from a pool are not counted). */
  maxLiveBytes?: number;
}

export interface VisionOptions extends VisionLimits {
  /** Which backend does the pixel work (backends/select.ts); `auto` when absent. */
  backend?: VisionBackendChoice;
}

/**
 * Turns an op failure into the guest's `vision-error`. Anything unexpected (a codec, the frame
 * service) is `not-supported` with the message, the case that says this host cannot do what the
 * call needs (src/core/backend-failure.ts; docs/spec-notes.md).
 */
function witFailure(e: unknown): never {
  if (!(e instanceof VisionFailure)) throw backendFailure<Wit.VisionError>(e, 'vision failure', (val) => ({ tag: 'not-supported', val }));
  let payload: Wit.VisionError;
  switch (e.code) {
    case 'out-of-bounds':
    case 'too-large':
    case 'stale-frame':
      payload = { tag: e.code };
      break;
    case 'unsupported-format':
      payload = { tag: e.code, val: (e.format ?? 'mjpeg') as Wit.PixelFormat };
      break;
    default:
      payload = { tag: e.code, val: e.message };
  }
  throw new WitError(payload, e.message);
}

function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    return witFailure(e);
  }
}

const TENSOR_ELEMENTS: Partial<Record<Wit.TensorType, 'u8' | 'f32'>> = { U8: 'u8', FP32: 'f32' };

function normalization(n: Wit.Normalization): Normalization {
  switch (n.tag) {
    case 'none':
      return { kind: 'none' };
    case 'scale-offset':
      return { kind: 'scale-offset', scale: n.val.scale, offset: n.val.offset };
    case 'mean-std':
      return { kind: 'mean-std', mean: n.val.mean, std: n.val.std };
  }
}

/** A raster without its bytes (an image keeps the bytes apart, reference-counted). */
function geometryOf(r: Raster): Omit<Raster, 'data'> {
  return { width: r.width, height: r.height, format: r.format, planes: r.planes };
}

export const DEFAULT_MAX_IMAGES = 1024;
export const DEFAULT_MAX_LIVE_BYTES = 512 * 2 ** 20;

export function createVisionProvider(
  limits: VisionOptions,
  ctx: ProviderContext<Partial<VisionPlatform> | undefined>,
  backend: VisionBackend = selectVisionBackend(limits.backend ?? 'auto', ctx.platform),
): ProviderInstance & { readonly backend: VisionBackend } {
  const { services } = ctx;
  const live = new Set<ImageResource>();
  const maxImages = limits.maxImages ?? DEFAULT_MAX_IMAGES;
  const maxLiveBytes = limits.maxLiveBytes ?? DEFAULT_MAX_LIVE_BYTES;
  let liveBytes = 0;

  /** Bytes an image owns; when they are a buffer of the host's recycler, it gets them back as the image goes. */
  const ownedPixels = (bytes: Uint8Array): Pixels => {
    const recycler = services.buffers;
    return Pixels.owned(bytes, recycler && (() => recycler.giveView(bytes)));
  };
  const checkPixels = (width: number, height: number): void => {
    if (width * height > limits.maxPixels) {
      throw new VisionFailure('too-large', `${width}x${height} exceeds the limit of ${limits.maxPixels} pixels`);
    }
  };
  const checkInput = (bytes: Uint8Array): void => {
    if (bytes.length > limits.maxInputBytes) {
      throw new VisionFailure('too-large', `${bytes.length} bytes exceed the limit of ${limits.maxInputBytes}`);
    }
  };

  /** A raster from raw (or mjpeg) bytes the host may keep: validated against the layout. */
  const rasterFrom = (format: InputFormat, width: number, height: number, planes: PlaneLayout[], data: Uint8Array): Raster => {
    if (format === 'mjpeg') return backend.decodeJpeg(data, limits.maxPixels);
    checkPixels(width, height);
    return { width, height, format, data, planes: checkLayout(format, width, height, planes, data.length) };
  };

  /** buffer-pool's `dimension`: one plane at offset 0; a stride of 0 (meant for compressed data) is taken as packed. */
  const dimensionPlanes = (d: Dimension): PlaneLayout[] => (d.strideBytes === 0 ? [] : [{ offset: 0, stride: d.strideBytes }]);

  class ImageResource {
    private geometry!: Omit<Raster, 'data'>;
    private pixels!: Pixels;
    private disposed = false;

    /** jco needs a zero-argument constructor; images are only made by the static functions. */
    constructor() {}

    private charged = 0;

    private static wrap(raster: Raster, pixels: Pixels, owned = false): ImageResource {
      // Bounds on what a guest can make the host hold (docs/hardening.md); the result is dropped, not kept.
      const bytes = owned ? raster.data.byteLength : 0;
      if (live.size >= maxImages) {
        pixels.release();
        throw new VisionFailure('too-large', `${live.size} images are open; this host's limit is ${maxImages} (vision.maxImages)`);
      }
      if (liveBytes + bytes > maxLiveBytes) {
        pixels.release();
        throw new VisionFailure('too-large', `open images hold ${liveBytes} bytes; ${bytes} more exceed this host's limit of ${maxLiveBytes} (vision.maxLiveBytes)`);
      }
      const image = new ImageResource();
      image.charged = bytes;
      liveBytes += bytes;
      image.geometry = geometryOf(raster);
      image.pixels = pixels;
      live.add(image);
      return image;
    }

    /**
     * An image owning `raster`'s bytes. Bytes the bindings lifted from the guest into a buffer of
     * the host's recycler (`from-pixels`, a by-value frame) go back to it when the image goes, so a
     * guest handing in a frame's pixels every frame does not make the host allocate them every frame.
     */
    private static own(raster: Raster): ImageResource {
      return ImageResource.wrap(raster, ownedPixels(raster.data), true);
    }

    /**
     * The image a backend made from this one. A backend may hand back the very bytes it was given
     * (a conversion to the format the image already has, in a tightly packed layout): the new image
     * then shares them like a crop, so that drawing on either copies first and a frame's buffer is
     * never written; otherwise the new image owns its new bytes.
     */
    private derived(from: Raster, made: Raster): ImageResource {
      if (made.data.buffer === from.data.buffer) return ImageResource.wrap(made, this.pixels.retain());
      return ImageResource.own(made);
    }

    /** The pixels now; a frame whose buffer was taken back by its pool is `stale-frame`. */
    private raster(): Raster {
      const data = this.pixels.bytes();
      if (!data) throw new VisionFailure('stale-frame', 'the frame behind this image is gone');
      // Spelled out: a spread followed by a new property takes V8's slow path (about 1.7 µs on Node 20),
      // and this runs several times per camera frame.
      const g = this.geometry;
      return { width: g.width, height: g.height, format: g.format, planes: g.planes, data };
    }

    static fromEncoded(data: Uint8Array): Wit.Image {
      return guarded(() => {
        checkInput(data);
        return ImageResource.own(backend.decode(data, limits.maxPixels));
      });
    }

    static fromPixels(layout: Wit.Layout, data: Uint8Array): Wit.Image {
      return guarded(() => {
        checkInput(data);
        const planes = layout.planes.map((p) => ({ offset: p.offset, stride: p.strideBytes }));
        return ImageResource.own(rasterFrom(layout.pixelFormat, layout.width, layout.height, planes, data));
      });
    }

    static fromFrame(frame: Wit.FrameData): Wit.Image {
      return guarded(() => {
        if (frame.tag === 'by-value') {
          const { dimension, payload } = (frame.val as DataType).val;
          checkInput(payload);
          return ImageResource.own(rasterFrom(dimension.pixelFormat, dimension.width, dimension.height, dimensionPlanes(dimension), payload));
        }
        // host-memory: the guest handed us its `own<memory>`, so returning the buffer to its pool is now our job.
        const memory = frame.val as unknown as { [Symbol.dispose]?: () => void };
        const giveBack = (): void => memory[Symbol.dispose]?.();
        let keep = false;
        try {
          const frames = services.frames;
          if (!frames) throw new VisionFailure('not-supported', 'this host has no sensor frames (wasi:buffer-pool host memory)');
          const resolved = frames.resolve(memory);
          if (!resolved) throw new VisionFailure('stale-frame', 'unknown or invalidated frame memory');
          const { dimension, bytes } = resolved;
          const raster = rasterFrom(dimension.pixelFormat, dimension.width, dimension.height, dimensionPlanes(dimension), bytes);
          if (raster.data !== bytes) return ImageResource.own(raster); // decoded mjpeg: the buffer is no longer needed
          // Wrap without copying; look the bytes up again at each use, so an invalidated frame is noticed.
          keep = true;
          return ImageResource.wrap(raster, new Pixels(() => frames.resolve(memory)?.bytes, true, giveBack));
        } finally {
          if (!keep) giveBack();
        }
      });
    }

    width(): number {
      return this.geometry.width;
    }

    height(): number {
      return this.geometry.height;
    }

    pixelFormat(): Wit.PixelFormat {
      return this.geometry.format;
    }

    layout(): Wit.Layout {
      const g = this.geometry;
      return {
        width: g.width,
        height: g.height,
        pixelFormat: g.format,
        planes: g.planes.map((p) => ({ offset: p.offset, strideBytes: p.stride })),
      };
    }

    crop(region: Wit.Rect): Wit.Image {
      return guarded(() => ImageResource.wrap(backend.crop(this.raster(), region), this.pixels.retain()));
    }

    resize(width: number, height: number, method: Wit.ResizeMethod): Wit.Image {
      return guarded(() => {
        if (width === 0 || height === 0) throw new VisionFailure('invalid-argument', `resize to ${width}x${height}`);
        checkPixels(width, height);
        const r = this.raster();
        return this.derived(r, backend.resize(r, width, height, method));
      });
    }

    convert(format: Wit.PixelFormat): Wit.Image {
      return guarded(() => {
        if (format === 'mjpeg') throw new VisionFailure('unsupported-format', 'an image never holds mjpeg: use encode', 'mjpeg');
        const r = this.raster();
        return this.derived(r, backend.convert(r, format));
      });
    }

    encode(encoding: Wit.Encoding): Uint8Array {
      return guarded(() => {
        let bytes: Uint8Array;
        if (encoding.tag === 'png') bytes = backend.encodePng(this.raster());
        else {
          if (encoding.val < 1 || encoding.val > 100) throw new VisionFailure('invalid-argument', `JPEG quality ${encoding.val} (1 to 100)`);
          bytes = backend.encodeJpeg(this.raster(), encoding.val);
        }
        services.counters.encodedBytesLowered += bytes.length;
        return bytes;
      });
    }

    read(region: Wit.Rect | undefined): Uint8Array {
      return guarded(() => {
        const r = this.raster();
        const bytes = packed(region ? crop(r, region) : r).data;
        services.counters.pixelBytesLowered += bytes.length;
        return bytes;
      });
    }

    toTensor(options: Wit.TensorOptions): Wit.Tensor {
      return guarded(() => {
        const tensors = services.nnTensors;
        if (!tensors) throw new VisionFailure('not-supported', 'this host has no wasi:nn');
        const element = TENSOR_ELEMENTS[options.elementType];
        if (!element) throw new VisionFailure('not-supported', `tensor element type ${options.elementType} (U8 and FP32 are)`);
        const spec = {
          width: options.width,
          height: options.height,
          method: options.resizeMethod,
          layout: options.tensorLayout,
          element,
          channels: options.channels,
          normalization: normalization(options.normalization),
        };
        const r = this.raster();
        checkPixels(...targetSize(r, spec));
        // Into a buffer wasi:nn takes back once the tensor is consumed or dropped: no fresh one per frame.
        const t = backend.toTensor(r, spec, { allocate: (n) => tensors.allocate(n) });
        try {
          return tensors.create(Uint32Array.from(t.dimensions), options.elementType, t.bytes) as Wit.Tensor;
        } catch (e) {
          // The nn provider's own errors have another WIT type: never let them reach this result.
          throw new VisionFailure('not-supported', `wasi:nn refused the tensor: ${(e as Error)?.message ?? String(e)}`);
        }
      });
    }

    /**
     * Drawing writes in place; shared or borrowed bytes are copied first (copy on write). The copy
     * is charged to vision.maxLiveBytes like any image the host makes (a guest drawing on many
     * images of one frame makes a copy each), and it is written into a buffer of the host's
     * recycler, which gets it back when the image goes: an app that draws on every camera frame
     * reuses one buffer instead of allocating a frame's bytes per frame.
     */
    private writable(): Raster {
      const r = this.raster();
      if (!this.pixels.shared()) return r;
      const bytes = packedSize(r.format, r.width, r.height);
      if (liveBytes + bytes > maxLiveBytes) {
        throw new VisionFailure('too-large', `open images hold ${liveBytes} bytes; a copy to draw on needs ${bytes} more, over this host's limit of ${maxLiveBytes} (vision.maxLiveBytes)`);
      }
      const recycler = services.buffers;
      const copy = packed(r, true, recycler && ((n) => recycler.take(n)));
      this.pixels.release();
      this.pixels = ownedPixels(copy.data);
      liveBytes += bytes;
      this.charged += bytes;
      this.geometry = geometryOf(copy);
      return copy;
    }

    drawRect(region: Wit.Rect, color: Wit.Color, thickness: number): void {
      guarded(() => {
        // Validate before copying, so a failed call leaves shared pixels alone.
        const r = this.raster();
        if (region.width === 0 || region.height === 0) throw new VisionFailure('invalid-argument', 'empty rectangle');
        if (region.x >= r.width || region.y >= r.height) throw new VisionFailure('out-of-bounds', 'rectangle outside the image');
        drawRect(this.writable(), region, color, thickness);
      });
    }

    drawPoints(points: Wit.Point[], color: Wit.Color, radius: number): void {
      guarded(() => {
        const r = this.raster();
        for (const p of points) {
          if (p.x >= r.width || p.y >= r.height) throw new VisionFailure('out-of-bounds', `point ${p.x},${p.y} outside the image`);
        }
        drawPoints(this.writable(), points, color, radius);
      });
    }

    [Symbol.dispose](): void {
      if (this.disposed) return;
      this.disposed = true;
      live.delete(this);
      liveBytes -= this.charged;
      this.pixels.release();
    }
  }

  const imports = { Image: ImageResource } satisfies typeof Wit;
  return {
    imports: { 'wasi:vision/image': imports },
    backend,
    dispose() {
      for (const image of [...live]) image[Symbol.dispose]();
    },
  };
}

export type { Format };

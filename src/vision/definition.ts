/**
 * wasi:vision: configuration (size limits only; images need no devices) and provider creation.
 * Tensors come from the nn provider and host-memory frames from the sensor provider, through
 * HostServices; without them the matching calls return `not-supported`.
 */
import type { InterfaceDefinition } from '../core/provider.js';
import type { VisionConfigInput } from './config-input.js';
import { integer, object, oneOf, onlyKeys, optional } from '../core/validate.js';
import { VISION_BACKEND_CHOICES, type VisionBackendChoice, type VisionPlatform } from './backends/select.js';
import { SHARP, resolveSharp } from './backends/sharp.js';
import { unavailableReason } from '../core/optional-package.js';
import { FORMATS } from './formats.js';
import { DEFAULT_MAX_IMAGES, DEFAULT_MAX_LIVE_BYTES, createVisionProvider, type VisionOptions } from './provider.js';

export type { VisionConfigInput } from './config-input.js';
export type VisionConfig = VisionOptions;

const DEFAULTS: VisionConfig = {
  // 4096 x 4096: above any edge camera we target, and 64 MiB as RGBA (browser-safe).
  maxPixels: 4096 * 4096,
  maxInputBytes: 64 * 2 ** 20,
  // maxImages and maxLiveBytes: absent means DEFAULT_MAX_IMAGES / DEFAULT_MAX_LIVE_BYTES (provider.ts).
};

function describeBackend(choice: VisionBackendChoice): string {
  if (choice === 'typescript') return 'typescript (built-in kernels)';
  const missing = unavailableReason(() => resolveSharp());
  // The platform's zlib (Node) encodes PNG for auto and sharp: selectVisionBackend.
  const png = 'PNG encoding through the platform zlib where it has one';
  if (!missing) return `${choice}: sharp ${SHARP.version} (libvips) for PNG/JPEG, exact TypeScript kernels for resize, convert, to-tensor; ${png}`;
  return choice === 'auto' ? `auto: typescript (built-in kernels; ${SHARP.name} is not installed; ${png})` : `sharp: ${missing}`;
}

export const visionDefinition: InterfaceDefinition<'vision', VisionConfig, VisionConfigInput, VisionPlatform> = {
  name: 'vision',
  packages: { 'wasi:vision': '0.1.0-draft' },
  parseConfig(raw, at) {
    const o = object(raw, at);
    onlyKeys(o, at, ['maxPixels', 'maxInputBytes', 'maxImages', 'maxLiveBytes', 'backend']);
    const backend = optional(o, 'backend', at, (v, f) => oneOf(v, f, VISION_BACKEND_CHOICES));
    const maxImages = optional(o, 'maxImages', at, (v, f) => integer(v, f, 1, 1 << 20));
    const maxLiveBytes = optional(o, 'maxLiveBytes', at, (v, f) => integer(v, f, 1, 2 ** 40));
    return {
      maxPixels: optional(o, 'maxPixels', at, (v, f) => integer(v, f, 1, 2 ** 30)) ?? DEFAULTS.maxPixels,
      maxInputBytes: optional(o, 'maxInputBytes', at, (v, f) => integer(v, f, 1, 2 ** 31)) ?? DEFAULTS.maxInputBytes,
      ...(maxImages !== undefined ? { maxImages } : {}),
      ...(maxLiveBytes !== undefined ? { maxLiveBytes } : {}),
      ...(backend !== undefined ? { backend } : {}),
    };
  },
  defaultConfig: () => ({ ...DEFAULTS }),
  create: (config, ctx) => createVisionProvider(config, ctx),
  describe: (config) => [
    `wasi:vision/image: formats ${FORMATS.join(', ')} (mjpeg decoded on input); PNG and JPEG`,
    `  limits: ${config.maxPixels} pixels per image, ${config.maxInputBytes} bytes per input, ` +
      `${config.maxImages ?? DEFAULT_MAX_IMAGES} images and ${config.maxLiveBytes ?? DEFAULT_MAX_LIVE_BYTES} pixel bytes held`,
    `  backend: ${describeBackend(config.backend ?? 'auto')}`,
  ],
};

/**
 * A `v4l2` configuration entry → a V4l2Device on the real kernel (koffi): the driver says what the
 * camera can do, the configuration's formats and limits narrow it.
 */
import type { V4l2DeviceConfig } from '../../config.js';
import type { Layout } from '../../pixels.js';
import type { DeviceEnvironment } from '../device.js';
import { V4l2Device } from './device.js';
import type { V4l2Kernel } from './kernel.js';
import { koffiKernel } from './koffi-kernel.js';

export function openV4l2Device(description: string, c: V4l2DeviceConfig, layout: Layout, env: DeviceEnvironment, kernel: V4l2Kernel = koffiKernel()): V4l2Device {
  return new V4l2Device(description, {
    device: c.device,
    layout,
    rate: c.rate,
    formats: c.formats,
    fourccs: c.fourccs,
    spareBuffers: c.spareBuffers,
    limits: { maxWidth: c.maxWidth, maxHeight: c.maxHeight, minFps: c.minFps, maxFps: c.maxFps },
    kernel,
    wake: env.wake,
    toClock: (ns) => env.clock.fromMonotonic(ns),
  });
}

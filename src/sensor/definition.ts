/**
 * wasi:sensor + wasi:buffer-pool as the host composes them (see provider.ts, config.ts).
 */
import type { InterfaceDefinition } from '../core/provider.js';
import type { SensorConfigInput } from './config-input.js';
import type { SensorPlatform } from './camera-port.js';
import { defaultSensorConfig, parseSensorConfig, type SensorConfig } from './config.js';
import { createSensorProvider } from './provider.js';

export type { SensorConfigInput } from './config-input.js';
export type { SensorConfig } from './config.js';

function describeSensor(config: SensorConfig): string[] {
  const lines = [`sensor clock: ${config.clock}; pool limit ${config.maxPoolBytes} B, ${config.maxPools} pools; host-memory pools: ${config.hostMemoryPools.join(' ') || '(none)'}`];
  for (const [name, d] of Object.entries(config.devices)) {
    if (d.kind === 'custom') {
      lines.push(`sensor device "${name}": provided by the embedder (custom)${d.granted ? '' : '; NOT granted'}`);
      continue;
    }
    const rate = `${d.rate.numerator}/${d.rate.denominator} fps`;
    const what =
      d.kind === 'test-pattern' ? `test pattern ${d.width}x${d.height} ${d.pixelFormat} ${rate}`
      : d.kind === 'image-fixture' ? `images in ${d.directory} at ${rate}${d.loop ? ', looped' : ', once'}`
      : d.kind === 'ai-camera' ? `on-sensor AI: ${d.model} (${d.inputWidth}x${d.inputHeight}) on images in ${d.directory} at ${rate}${d.loop ? ', looped' : ', once'}`
      : d.kind === 'webcam' ? `webcam ${d.device} ${d.width}x${d.height} ${d.pixelFormat} ${rate}`
      : d.kind === 'v4l2' ? `V4L2 camera ${d.device} ${d.width}x${d.height} ${d.pixelFormat} ${rate} (what the driver offers, within the limits below)`
      : `ffmpeg ${d.ffmpegPath} ${d.device} ${d.width}x${d.height} ${d.pixelFormat} ${rate}`;
    const supports = d.kind === 'image-fixture' || d.kind === 'ai-camera' ? '' : `; supports ${d.formats.join(',')} up to ${d.maxWidth}x${d.maxHeight}, ${+d.minFps.toFixed(4)}..${d.maxFps} fps`;
    lines.push(`sensor device "${name}": ${what}${supports}${d.granted ? '' : '; NOT granted'}`);
  }
  return lines;
}

export const sensorDefinition: InterfaceDefinition<'sensor', SensorConfig, SensorConfigInput, SensorPlatform> = {
  name: 'sensor',
  packages: { 'wasi:sensor': '', 'wasi:buffer-pool': '' },
  parseConfig: (raw, at, baseDir) => parseSensorConfig(raw, at, baseDir),
  defaultConfig: defaultSensorConfig,
  create: (config, ctx) => createSensorProvider(config, ctx),
  // The pool pollables' waits, awaited under JSPI (provider-poll.ts).
  suspendingImports: ['wasi:io/poll#[method]pollable.block', 'wasi:io/poll#poll'],
  describe: describeSensor,
};

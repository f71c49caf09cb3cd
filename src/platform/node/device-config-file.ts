/** Device configuration files on Node (`wasi-edge serve device.json`): paths inside are relative to the file. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDeviceConfig, type DeviceConfig } from '../../host/device/config.js';
import { ConfigFileError } from './config-file.js';

export function loadDeviceConfigFile(path: string): DeviceConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code ? code : `not valid JSON: ${(e as Error).message}`;
    throw new ConfigFileError(`cannot read device file ${path}: ${why}`);
  }
  return parseDeviceConfig(raw, dirname(resolve(path)));
}

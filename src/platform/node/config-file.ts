/** Config files on Node: read, parse as JSON, validate; paths inside are relative to the file. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseConfig, type EdgeConfig } from '../../host/config.js';

/** A config file that cannot be read or is not JSON. */
export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

/** Reads and validates a JSON config file; paths inside it are relative to the file. */
export function loadConfigFile(path: string): EdgeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? (e as Error).message);
    throw new ConfigFileError(`cannot read config file ${path}: ${why}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigFileError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(raw, dirname(resolve(path)));
}

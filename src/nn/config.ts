/**
 * The `nn` configuration section: which backend runs ONNX, its thread count, the models a guest may
 * load by name, what it is granted, and size limits. Everything a guest may touch is here.
 *
 * ```json
 * "nn": {
 *   "backend": "onnxruntime-node",
 *   "threads": 1,
 *   "models": { "faces": { "path": "models/blazeface-128.onnx", "encoding": "onnx", "target": "cpu" } },
 *   "allow": ["faces"],            // names load-by-name may open; "*" = every configured model
 *   "allowLoad": true,             // may the guest load models from its own bytes (graph.load)?
 *   "cpuFallback": false,          // run gpu/tpu requests on the CPU instead of refusing them
 *   "timeoutMs": 60000,            // longest compute on backends that can stop one (onnxruntime-web)
 *   "limits": { "modelBytes": 268435456, "tensorBytes": 67108864 }
 * }
 * ```
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigError, array, boolean, integer, object, oneOf, onlyKeys, optional, string,
} from '../core/validate.js';
import { BACKENDS, BACKEND_NAMES, type BackendName } from './backends/registry.js';
import type { NnBackend } from './backends/backend.js';

export const ENCODINGS = ['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml', 'autodetect'] as const;
export const TARGETS = ['cpu', 'gpu', 'tpu'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export type Target = (typeof TARGETS)[number];

export interface NnModelConfig {
  /** Absolute path of the model file. */
  path: string;
  encoding: Encoding;
  target: Target;
}

export interface NnLimits {
  /** Largest model (sum of builder bytes) `load` accepts, and largest named model file. */
  modelBytes: number;
  /** Largest single input or output tensor, in bytes. */
  tensorBytes: number;
  /** Bytes all live tensors of one host may hold together (docs/hardening.md). */
  liveTensorBytes: number;
  /** Backend sessions (distinct loaded models) one host may hold at once. */
  maxGraphs: number;
  /** Graph + execution-context handles a guest may hold at once. */
  maxHandles: number;
}

export interface NnConfig {
  /** The backend that serves the `onnx` encoding. */
  backend: BackendName;
  /** ORT intraOpNumThreads. 1 by default: on small machines more threads were slower, as measured on 2-core machines. */
  threads: number;
  models: Record<string, NnModelConfig>;
  /** Names `load-by-name` may open; `'*'` grants every configured model. */
  allow: string[] | '*';
  /** Whether `load` (model bytes from the guest) is permitted at all. */
  allowLoad: boolean;
  /** Run gpu/tpu requests on the CPU instead of failing with unsupported-operation. */
  cpuFallback: boolean;
  /** Longest one compute may take on a backend that can stop it (onnxruntime-web); then `timeout`. */
  timeoutMs: number;
  limits: NnLimits;
}

export const DEFAULT_LIMITS: NnLimits = {
  modelBytes: 256 * 1024 * 1024,
  tensorBytes: 64 * 1024 * 1024,
  liveTensorBytes: 256 * 1024 * 1024,
  maxGraphs: 16,
  maxHandles: 1024,
};

/** The package root, found from this file (src/nn/ or dist/nn/), so defaults work from any cwd. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shipped BlazeFace fixture (fixtures/models/PROVENANCE.md). */
export const BLAZEFACE_PATH = join(PACKAGE_ROOT, 'fixtures/models/blazeface-128.onnx');

export function defaultNnConfig(): NnConfig {
  return {
    backend: 'onnxruntime-node',
    threads: 1,
    models: { blazeface: { path: BLAZEFACE_PATH, encoding: 'onnx', target: 'cpu' } },
    allow: '*',
    allowLoad: true,
    cpuFallback: false,
    timeoutMs: 60_000,
    limits: { ...DEFAULT_LIMITS },
  };
}

function parseModel(raw: unknown, at: string, baseDir: string): NnModelConfig {
  // A bare string is a path with the defaults.
  const o = typeof raw === 'string' ? { path: raw } : object(raw, at);
  onlyKeys(o, at, ['path', 'encoding', 'target']);
  const path = resolve(baseDir, string(o.path, `${at}.path`));
  if (!existsSync(path) || !statSync(path).isFile()) throw new ConfigError(`${at}.path`, 'an existing model file', o.path);
  const encoding = optional(o, 'encoding', at, (v, a) => oneOf(v, a, ENCODINGS)) ?? 'autodetect';
  const target = optional(o, 'target', at, (v, a) => oneOf(v, a, TARGETS)) ?? 'cpu';
  return { path, encoding, target };
}

export function parseNnConfig(raw: unknown, at: string, baseDir: string): NnConfig {
  const o = object(raw, at);
  onlyKeys(o, at, ['backend', 'threads', 'models', 'allow', 'allowLoad', 'cpuFallback', 'timeoutMs', 'limits']);
  const config = defaultNnConfig();
  config.backend = optional(o, 'backend', at, (v, a) => oneOf(v, a, BACKEND_NAMES)) ?? config.backend;
  config.threads = optional(o, 'threads', at, (v, a) => integer(v, a, 1, 256)) ?? config.threads;
  if (o.models !== undefined) {
    // Given models replace the default set; `{}` means "no named models".
    const models = object(o.models, `${at}.models`);
    config.models = {};
    for (const [name, m] of Object.entries(models)) {
      if (name.length === 0) throw new ConfigError(`${at}.models`, 'non-empty model names', name);
      config.models[name] = parseModel(m, `${at}.models.${name}`, baseDir);
    }
  }
  if (o.allow !== undefined) {
    if (o.allow === '*') config.allow = '*';
    else config.allow = array(o.allow, `${at}.allow`).map((n, i) => string(n, `${at}.allow[${i}]`));
  }
  config.allowLoad = optional(o, 'allowLoad', at, boolean) ?? config.allowLoad;
  config.cpuFallback = optional(o, 'cpuFallback', at, boolean) ?? config.cpuFallback;
  config.timeoutMs = optional(o, 'timeoutMs', at, (v, a) => integer(v, a, 1, 24 * 3600 * 1000)) ?? config.timeoutMs;
  if (o.limits !== undefined) {
    const l = object(o.limits, `${at}.limits`);
    onlyKeys(l, `${at}.limits`, ['modelBytes', 'tensorBytes', 'liveTensorBytes', 'maxGraphs', 'maxHandles']);
    const max = Number.MAX_SAFE_INTEGER;
    config.limits = {
      modelBytes: optional(l, 'modelBytes', `${at}.limits`, (v, a) => integer(v, a, 1, max)) ?? DEFAULT_LIMITS.modelBytes,
      tensorBytes: optional(l, 'tensorBytes', `${at}.limits`, (v, a) => integer(v, a, 1, max)) ?? DEFAULT_LIMITS.tensorBytes,
      liveTensorBytes: optional(l, 'liveTensorBytes', `${at}.limits`, (v, a) => integer(v, a, 1, max)) ?? DEFAULT_LIMITS.liveTensorBytes,
      maxGraphs: optional(l, 'maxGraphs', `${at}.limits`, (v, a) => integer(v, a, 1, 4096)) ?? DEFAULT_LIMITS.maxGraphs,
      maxHandles: optional(l, 'maxHandles', `${at}.limits`, (v, a) => integer(v, a, 1, 1 << 20)) ?? DEFAULT_LIMITS.maxHandles,
    };
  }
  return config;
}

/**
 * A model from a command-line flag in wasmtime's style (`-S nn-graph=onnx::./models/faces`):
 * `<encoding>::<path>`. A directory names the graph after its last component and holds
 * `model.onnx` (as wasmtime expects); a file names the graph after its base name without extension.
 * Returns the name and the config entry; the CLI merges it into `nn.models`.
 */
export function parseGraphFlag(spec: string, cwd: string = process.cwd()): { name: string; model: NnModelConfig } {
  const sep = spec.indexOf('::');
  if (sep <= 0) throw new ConfigError('nn-graph', '<encoding>::<path>, e.g. onnx::./models/faces', spec);
  const encoding = oneOf(spec.slice(0, sep), 'nn-graph encoding', ENCODINGS);
  const given = resolve(cwd, spec.slice(sep + 2));
  if (!existsSync(given)) throw new ConfigError('nn-graph', 'an existing model file or directory', spec.slice(sep + 2));
  if (statSync(given).isDirectory()) {
    const path = join(given, 'model.onnx');
    if (!existsSync(path)) throw new ConfigError('nn-graph', 'a directory holding model.onnx', given);
    return { name: basename(given), model: { path, encoding, target: 'cpu' } };
  }
  return { name: basename(given, extname(given)), model: { path: given, encoding, target: 'cpu' } };
}

export function describeNnConfig(config: NnConfig, backends: Readonly<Record<BackendName, NnBackend>> = BACKENDS): string[] {
  const missing = backends[config.backend].unavailable();
  const lines = [
    `backend for onnx: ${config.backend} (${config.threads} thread${config.threads === 1 ? '' : 's'})` +
      (missing ? ` — UNAVAILABLE: ${missing}` : ''),
  ];
  const names = Object.keys(config.models);
  if (names.length === 0) lines.push('no named models (load-by-name finds nothing)');
  for (const name of names) {
    const m = config.models[name]!;
    const granted = config.allow === '*' || config.allow.includes(name);
    lines.push(`model "${name}": ${m.path} (${m.encoding}, ${m.target})${granted ? '' : ' — not granted'}`);
  }
  lines.push(`graph.load from guest bytes: ${config.allowLoad ? 'allowed' : 'refused (security)'}`);
  lines.push(`gpu/tpu requests: ${config.cpuFallback ? 'run on the CPU' : 'refused (unsupported-operation)'}`);
  if (config.backend === 'onnxruntime-web') lines.push(`compute timeout: ${config.timeoutMs} ms`);
  lines.push(`limits: model ${config.limits.modelBytes} bytes, tensor ${config.limits.tensorBytes} bytes`);
  return lines;
}

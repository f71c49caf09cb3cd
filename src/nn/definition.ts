/**
 * wasi:nn as one interface of the host: configuration section `nn`, its default (the shipped
 * BlazeFace model by name, ONNX on onnxruntime-node, one thread), and the provider.
 */
import type { InterfaceDefinition } from '../core/provider.js';
import type { NnConfigInput } from './config-input.js';
import type { NnPlatform } from './backends/backend.js';
import { defaultNnConfig, describeNnConfig, parseNnConfig, type NnConfig } from './config.js';
import { createNnProvider } from './provider.js';

export type { NnConfigInput } from './config-input.js';
export type { NnConfig } from './config.js';

export const nnDefinition: InterfaceDefinition<'nn', NnConfig, NnConfigInput, NnPlatform> = {
  name: 'nn',
  packages: { 'wasi:nn': '0.2.0-rc-2024-10-28' },
  parseConfig: parseNnConfig,
  defaultConfig: defaultNnConfig,
  create: (config, ctx) => createNnProvider(config, ctx),
  // Awaited under JSPI when the backend's runtime is Promise-only (onnxruntime-web).
  suspendingImports: ['wasi:nn/graph#load', 'wasi:nn/graph#load-by-name', 'wasi:nn/inference#[method]graph-execution-context.compute'],
  describe: describeNnConfig,
};

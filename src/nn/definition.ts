/**
 * wasi:nn as one interface of the host: configuration section `nn`, its default (the shipped
 * BlazeFace model by name, ONNX on onnxruntime-node, one thread), and the provider.
 */
import type { InterfaceDefinition } from '../core/provider.js';
import { defaultNnConfig, describeNnConfig, parseNnConfig, type NnConfig } from './config.js';
import { createNnProvider } from './provider.js';

export type { NnConfig } from './config.js';

export const nnDefinition: InterfaceDefinition<NnConfig> = {
  name: 'nn',
  parseConfig: parseNnConfig,
  defaultConfig: defaultNnConfig,
  create: (config, ctx) => createNnProvider(config, ctx),
  describe: describeNnConfig,
};

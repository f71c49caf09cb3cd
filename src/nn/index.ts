/** Public entry `wasi-edge-host/nn`: the wasi:nn provider, its configuration and backend interface. */
export { nnDefinition } from './definition.js';
export { createNnProvider, Tensor, Graph, GraphExecutionContext, NnError } from './provider.js';
export type { NnProvider, NnProviderOptions } from './provider.js';
export {
  defaultNnConfig, parseNnConfig, parseGraphFlag, describeNnConfig, BLAZEFACE_PATH,
  type NnConfig, type NnModelConfig, type NnLimits,
} from './config.js';
export type { NnBackend, BackendGraph, BackendTensor, TensorInfo, BackendOptions } from './backends/backend.js';
export { BackendError } from './backends/backend.js';
export { BACKENDS } from './backends/registry.js';
export { NnEngine, SharedGraph } from './graphs.js';
export { NnFailure, type NnFailureCode } from './errors.js';
export type { ElementType } from './element-types.js';
export type { NnTensorService } from '../core/services.js';

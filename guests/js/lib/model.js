// A wasi:nn model loaded by name (the host's configured models), ready to compute.
import { loadByName } from 'wasi:nn/graph@0.2.0-rc-2024-10-28';
import { call, drop } from './errors.js';

/**
 * @typedef {import('wasi:nn/tensor@0.2.0-rc-2024-10-28').Tensor} Tensor
 * @typedef {{ name: string, tensor: Tensor, dims: Uint32Array, type: import('wasi:nn/tensor@0.2.0-rc-2024-10-28').TensorType, data: () => Uint8Array }} Output
 */

export class Model {
  /**
   * Loads a model by name and makes its execution context. Throws an EdgeError with wasi:nn's
   * error code (`not-found`, `invalid-encoding`, …) and the host's message as `detail`.
   * @param {string} name
   */
  static byName(name) {
    const graph = call(`load-by-name ${name}`, () => loadByName(name));
    try {
      return new Model(graph, call('init-execution-context', () => graph.initExecutionContext()));
    } catch (e) {
      drop(graph);
      throw e;
    }
  }

  /**
   * @param {import('wasi:nn/graph@0.2.0-rc-2024-10-28').Graph} graph
   * @param {import('wasi:nn/inference@0.2.0-rc-2024-10-28').GraphExecutionContext} context
   */
  constructor(graph, context) {
    this.graph = graph;
    this.context = context;
  }

  /**
   * Runs the model (the input tensors are consumed). Each output's bytes come into the guest only
   * when its `data()` is called; give the outputs back with `dropOutputs`.
   * @param {Array<[string, Tensor]>} inputs
   * @returns {Output[]}
   */
  compute(inputs) {
    const outputs = call('compute', () => this.context.compute(inputs));
    return outputs.map(([name, tensor]) => ({ name, tensor, dims: tensor.dimensions(), type: tensor.ty(), data: () => tensor.data() }));
  }

  close() {
    drop(this.context);
    drop(this.graph);
  }
}

/** @param {Output[]} outputs */
export function dropOutputs(outputs) {
  for (const o of outputs) drop(o.tensor);
}

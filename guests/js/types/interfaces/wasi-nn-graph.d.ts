/// <reference path="./wasi-nn-errors.d.ts" />
/// <reference path="./wasi-nn-inference.d.ts" />
/// <reference path="./wasi-nn-tensor.d.ts" />
declare module 'wasi:nn/graph@0.2.0-rc-2024-10-28' {
  export function load(builder: Array<GraphBuilder>, encoding: GraphEncoding, target: ExecutionTarget): Graph;
  /**
   * A model the host configuration names.
   */
  export function loadByName(name: string): Graph;
  export type Error = import('wasi:nn/errors@0.2.0-rc-2024-10-28').Error;
  export type Tensor = import('wasi:nn/tensor@0.2.0-rc-2024-10-28').Tensor;
  export type GraphExecutionContext = import('wasi:nn/inference@0.2.0-rc-2024-10-28').GraphExecutionContext;
  /**
   * # Variants
   * 
   * ## `"openvino"`
   * 
   * ## `"onnx"`
   * 
   * ## `"tensorflow"`
   * 
   * ## `"pytorch"`
   * 
   * ## `"tensorflowlite"`
   * 
   * ## `"ggml"`
   * 
   * ## `"autodetect"`
   */
  export type GraphEncoding = 'openvino' | 'onnx' | 'tensorflow' | 'pytorch' | 'tensorflowlite' | 'ggml' | 'autodetect';
  /**
   * # Variants
   * 
   * ## `"cpu"`
   * 
   * ## `"gpu"`
   * 
   * ## `"tpu"`
   */
  export type ExecutionTarget = 'cpu' | 'gpu' | 'tpu';
  /**
   * One part of a model (some formats come in several files).
   */
  export type GraphBuilder = Uint8Array;
  
  export class Graph implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    initExecutionContext(): GraphExecutionContext;
    [Symbol.dispose](): void;
  }
}

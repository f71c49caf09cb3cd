/// <reference path="./wasi-nn-errors.d.ts" />
/// <reference path="./wasi-nn-tensor.d.ts" />
declare module 'wasi:nn/inference@0.2.0-rc-2024-10-28' {
  export type Error = import('wasi:nn/errors@0.2.0-rc-2024-10-28').Error;
  export type Tensor = import('wasi:nn/tensor@0.2.0-rc-2024-10-28').Tensor;
  /**
   * A tensor with the model input or output name it belongs to.
   */
  export type NamedTensor = [string, Tensor];
  
  export class GraphExecutionContext implements Disposable {
    /**
     * This type does not have a public constructor.
     */
    private constructor();
    /**
    * Runs the model; the input tensors are consumed.
    */
    compute(inputs: Array<NamedTensor>): Array<NamedTensor>;
    [Symbol.dispose](): void;
  }
}

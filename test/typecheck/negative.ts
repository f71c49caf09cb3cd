// Proof that the types generated from wit/ catch providers that drift from the WIT: every
// expected-error directive below must be needed, or `tsc -p test/typecheck` fails (test/host/wit.test.ts).
import type * as I2c from '../../src/generated/interfaces/wasi-i2c-i2c.js';
import type * as Tensor from '../../src/generated/interfaces/wasi-nn-tensor.js';
import type * as Access from '../../src/generated/interfaces/wasi-edge-host-access.js';

type I2cInstance = I2c.I2c;

export const wrongReturn: Pick<I2cInstance, 'read'> = {
  // @ts-expect-error list<u8> is a Uint8Array, not a number[]
  read: (_address: number, _len: bigint) => [1, 2, 3],
};

export const wrongLength: Pick<I2cInstance, 'read'> = {
  // @ts-expect-error u64 lengths arrive as bigint
  read: (_address: number, len: string) => new Uint8Array(len.length),
};

export const asyncImport: Pick<typeof Access, 'listI2cBuses'> = {
  // @ts-expect-error a Promise behind a synchronous import would be lowered to 0 by jco
  listI2cBuses: async () => ['bus'],
};

// @ts-expect-error not a case of tensor-type
export const badEnum: Tensor.TensorType = 'FP8';

// @ts-expect-error an incomplete resource: write-read is missing
export const missingMethod: Pick<I2cInstance, 'transaction' | 'writeRead'> = { transaction: () => [] };

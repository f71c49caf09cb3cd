/**
 * The `spi` section as a user writes it in a TypeScript config (every field optional; the
 * JSON form is the same). parseConfig validates it; this type lets the compiler catch a typo.
 */
export type SpiConfigInput = Record<string, unknown>;

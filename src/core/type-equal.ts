/**
 * Compile-time equality of two types, for the one idiom by which a provider checks that a type of
 * ours still equals the type jco generated from wit/:
 *
 *   const _tensorTypes: TypeEqual<TensorType, WitTensorType> = true;
 *
 * If wit/ changes, the constant no longer type-checks and the build says which one drifted.
 */
export type TypeEqual<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Recognises what a file is before anything else looks at it, so that a wrong file gets a
 * one-line message that says what to do instead of a stack trace from the transpiler.
 */
export type WasmKind = 'component' | 'core-module' | 'not-wasm';

export function wasmKind(bytes: Uint8Array): WasmKind {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    return 'not-wasm';
  }
  // The component binary format uses layer 1 in bytes 6-7; core modules use layer 0 (version 1).
  const layer = bytes[6]! | (bytes[7]! << 8);
  return layer === 1 ? 'component' : 'core-module';
}

export class ComponentFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComponentFileError';
  }
}

export function assertComponent(bytes: Uint8Array, file: string): void {
  if (bytes.length === 0) throw new ComponentFileError(`${file} is empty; pass a component .wasm`);
  const kind = wasmKind(bytes);
  if (kind === 'not-wasm') {
    throw new ComponentFileError(`${file} is not a WebAssembly file (no \\0asm header); pass a component .wasm`);
  }
  if (kind === 'core-module') {
    throw new ComponentFileError(
      `${file} is a core WebAssembly module, not a component; wrap it with \`jco new\` (or \`wasm-tools component new\`) first`,
    );
  }
}

/** See blazeface-input.mjs. */
export function imageToBlazefaceInput(file: string, size?: number): Uint8Array;

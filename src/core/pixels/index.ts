/**
 * The one pixel module: formats and their sizes (formats.ts), the one BT.601 with one rounding rule
 * (bt601.ts), and conversion from RGB(A) into every format (write.ts) and back (read.ts). Used by
 * wasi:sensor, wasi:vision and the browser webcam; it knows nothing of WIT and imports nothing.
 */
export * from './formats.js';
export * from './bt601.js';
export { writePixels, type RgbSource } from './write.js';
export { readRgba } from './read.js';

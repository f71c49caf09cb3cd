/**
 * BT.601, the host's one colour equation, with one rounding rule.
 *
 * Coefficients: Kr = 0.299, Kb = 0.114 (Kg = 0.587), exactly as decimals.
 *  - gray (full range, JFIF luma):  L  = 0.299 R + 0.587 G + 0.114 B
 *  - YUV (limited range, what V4L2 cameras send for YUYV/NV12/I420, docs/spec-notes.md § YUYV):
 *        Y  = 16  + 219/255 · L                      (16..235)
 *        Cb = 128 + 224/255 · (B − L) / 1.772        (16..240)
 *        Cr = 128 + 224/255 · (R − L) / 1.402
 *    chroma of a subsampled block = the mean of its pixels' exact Cb (Cr);
 *  - back to RGB, the exact inverse of those, clamped to 0..255.
 * Rounding: every output byte is the exact (rational) value rounded once, half up (ties toward +∞),
 * never a rounded intermediate. Integer arithmetic makes that exact: with S = 299R + 587G + 114B
 * (1000 L), T = 886B − 299R − 587G (1000 (B − L)) and U = 701R − 587G − 114B (1000 (R − L)),
 *        gray = ⌊(S + 500) / 1000⌋,  Y = ⌊(73 S + 1 402 500) / 85 000⌋,
 *        Cb over n pixels = ⌊(112 ΣT + 257 · 112 965 n) / (225 930 n)⌋,
 *        Cr over n pixels = ⌊(224 ΣU + 257 · 178 755 n) / (357 510 n)⌋.
 * Floating point may round a tie (L = 28.5 for R = G = 0, B = 250) either way, depending on the
 * order of operations, so two hosts that both "use BT.601" could differ by one level; this rule gives every
 * path (sensor frames, wasi:vision, the browser webcam) and any other implementation the same bytes.
 * All products stay below 2^53, and a quotient is never within 2^-52 of an integer unless it is one,
 * so `Math.floor` of the double quotient is the exact floor.
 */

/** 1000 × full-range luma. */
function lumaMilli(r: number, g: number, b: number): number {
  return 299 * r + 587 * g + 114 * b;
}

/** Full-range luma, the gray format's byte. */
export function grayOf(r: number, g: number, b: number): number {
  return Math.floor((lumaMilli(r, g, b) + 500) / 1000);
}

/** Limited-range Y of one pixel. */
export function yOf(r: number, g: number, b: number): number {
  return Math.floor((73 * lumaMilli(r, g, b) + 1_402_500) / 85_000);
}

/** The Cb term of one pixel, 1000 (B − L) (summed over a block for `cbOf`). */
export function cbTerm(r: number, g: number, b: number): number {
  return 886 * b - 299 * r - 587 * g;
}

/** The Cr term of one pixel, 1000 (R − L) (summed over a block for `crOf`). */
export function crTerm(r: number, g: number, b: number): number {
  return 701 * r - 587 * g - 114 * b;
}

/** Limited-range Cb of a block of `n` pixels whose `cbTerm`s add up to `sum`. */
export function cbOf(sum: number, n: number): number {
  return Math.floor((112 * sum + 29_032_005 * n) / (225_930 * n));
}

/** Limited-range Cr of a block of `n` pixels whose `crTerm`s add up to `sum`. */
export function crOf(sum: number, n: number): number {
  return Math.floor((224 * sum + 45_940_035 * n) / (357_510 * n));
}

/** Y, Cb, Cr of one pixel, rounded. */
export function yuvOf(r: number, g: number, b: number): [number, number, number] {
  return [yOf(r, g, b), cbOf(cbTerm(r, g, b), 1), crOf(crTerm(r, g, b), 1)];
}

/** Full-range luma, unrounded (for callers that compute with it further). */
export function luma(r: number, g: number, b: number): number {
  return lumaMilli(r, g, b) / 1000;
}

/** Limited-range Y, Cb, Cr, unrounded. */
export function rgbToYuv(r: number, g: number, b: number): [number, number, number] {
  const s = lumaMilli(r, g, b);
  return [16 + (73 * s) / 85_000, 128 + (56 * cbTerm(r, g, b)) / 112_965, 128 + (112 * crTerm(r, g, b)) / 178_755];
}

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

// The inverse as integer fractions N / D, rounded half up as ⌊(2N + D) / 2D⌋:
//   R = 255/219 (Y−16) + 255·1.402/224 (Cr−128)
//   G = 255/219 (Y−16) − 255·1.772·0.114/(224·0.587) (Cb−128) − 255·1.402·0.299/(224·0.587) (Cr−128)
//   B = 255/219 (Y−16) + 255·1.772/224 (Cb−128)
// Readers convert whole images, so they must be fast: R and B (two inputs each) come from tables of
// the integer form; G is computed in floating point, whose error (< 1e-12 for these magnitudes) is
// far below the distance from a tie of any exact value that is not one (≥ 1 / 2D ≈ 1.7e-11), so
// rounding the float is exact unless it lands within NEAR of a tie, and only then is the integer
// form computed. test/core/pixels.test.ts checks all 2^24 inputs against the integer form.
const D_RB = 219 * 224_000; // 49 056 000
const D_G = 219 * 131_488_000; // 28 795 872 000 (131 488 000 = 224 · 587 000)
const K_Y = (255 * 224_000) / D_RB;
const K_GU = (255 * 44_239_752) / D_G;
const K_GV = (255 * 91_804_362) / D_G;
const NEAR = 1e-9;
/** What `roundFar` returns near a tie (no channel value comes near it). */
const TIE = -4096;

/** v rounded half up, or TIE when v is within NEAR of a tie (then the caller computes it exactly). */
function roundFar(v: number): number {
  const f = v + 0.5;
  const k = Math.floor(f);
  const t = f - k;
  return t < NEAR || t > 1 - NEAR ? TIE : k;
}

/** R by (Y << 8 | Cr) and B by (Y << 8 | Cb), exact, built on first use (2 × 64 KiB). */
let rbTables: { r: Uint8Array; b: Uint8Array } | undefined;

function buildRbTables(): { r: Uint8Array; b: Uint8Array } {
  const r = new Uint8Array(65536);
  const b = new Uint8Array(65536);
  for (let y = 0; y < 256; y++) {
    for (let v = 0; v < 256; v++) {
      r[(y << 8) | v] = clamp(Math.floor((510 * (224_000 * (y - 16) + 307_038 * (v - 128)) + D_RB) / (2 * D_RB)));
      b[(y << 8) | v] = clamp(Math.floor((510 * (224_000 * (y - 16) + 388_068 * (v - 128)) + D_RB) / (2 * D_RB)));
    }
  }
  return { r, b };
}

/** Writes the R, G, B of limited-range y, cb, cr (bytes) into `out` at `o` (alpha untouched). */
export function yuvToRgb(y: number, cb: number, cr: number, out: Uint8Array, o: number): void {
  const t = (rbTables ??= buildRbTables());
  const c = y - 16;
  const d = cb - 128;
  const e = cr - 128;
  let g = roundFar(K_Y * c - K_GU * d - K_GV * e);
  if (g === TIE) g = Math.floor((510 * (131_488_000 * c - 44_239_752 * d - 91_804_362 * e) + D_G) / (2 * D_G));
  out[o] = t.r[(y << 8) | cr]!;
  out[o + 1] = clamp(g);
  out[o + 2] = t.b[(y << 8) | cb]!;
}

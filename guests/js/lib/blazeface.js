// BlazeFace (MediaPipe front model, 128x128) post-processing: the anchors, the box decoding and
// greedy non-maximum suppression, the part of a detector that stays with the application.
// The same arithmetic as guests/c/include/blazeface_post.h, in single precision (Math.fround at
// every step), so that the JavaScript app prints the C app's faces digit for digit.
//
// The model's outputs: scores [1,512,1] and boxes [1,512,16] for a 16x16 grid with 2 anchors per
// cell, scores [1,384,1] and boxes [1,384,16] for an 8x8 grid with 6 anchors per cell. Anchor
// centres are ((col + 0.5) / cells, (row + 0.5) / cells), anchors have unit size, so a box is
//   centre = anchor + offset / 128, size = raw / 128        (fractions of the input)
// and the score is sigmoid(clamp(logit, -100, 100)).
import { nms } from './nms.js';

const f = Math.fround;

export const INPUT = 128;
export const ANCHORS_16 = 512; // 16 * 16 * 2
export const ANCHORS_8 = 384; // 8 * 8 * 6
export const VALUES = 16; // per box: cx, cy, w, h, then 6 keypoints (x, y)
/** Scores at or above this are faces (the demo's cat peaks at 0.54, the astronaut at 0.92). */
export const MIN_SCORE = f(0.75);
/** Boxes overlapping a better one by more than this are dropped. */
export const NMS_IOU = f(0.3);
export const MAX_FACES = 64;

/** @typedef {import('./nms.js').Face} Face */

/** @param {number} logit */
export function sigmoid(logit) {
  const l = Math.min(100, Math.max(-100, logit));
  return f(1 / f(1 + f(Math.exp(-l))));
}

/**
 * Below this logit the score cannot reach MIN_SCORE (sigmoid(1.0) = 0.731 < 0.75): most anchors are
 * rejected before the exponential. StarlingMonkey interprets JavaScript (no JIT inside wasm), so the
 * per-anchor work is what post-processing costs.
 */
const REJECT_LOGIT = 1.0;

/**
 * Appends the boxes of one grid that score at least MIN_SCORE.
 * @param {Float32Array} scores
 * @param {Float32Array} boxes
 * @param {number} cells
 * @param {number} perCell
 * @param {Face[]} out
 */
function decodeGrid(scores, boxes, cells, perCell, out) {
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] < REJECT_LOGIT) continue;
    const score = sigmoid(scores[i]);
    if (score < MIN_SCORE || out.length >= MAX_FACES) continue;
    const cell = Math.floor(i / perCell);
    const row = Math.floor(cell / cells), col = cell % cells;
    const b = i * VALUES;
    const cx = f(f(f(col + 0.5) / cells) + f(boxes[b] / INPUT));
    const cy = f(f(f(row + 0.5) / cells) + f(boxes[b + 1] / INPUT));
    const w = f(boxes[b + 2] / INPUT);
    const h = f(boxes[b + 3] / INPUT);
    out.push({ score, x: f(cx - f(w / 2)), y: f(cy - f(h / 2)), w, h });
  }
}

/**
 * The whole post-processing: both grids, threshold, NMS. Boxes in fractions of the image.
 * @param {{ scores16: Float32Array, boxes16: Float32Array, scores8: Float32Array, boxes8: Float32Array }} outputs
 * @returns {Face[]}
 */
export function detectFaces({ scores16, boxes16, scores8, boxes8 }) {
  /** @type {Face[]} */
  const faces = [];
  decodeGrid(scores16, boxes16, 16, 2, faces);
  decodeGrid(scores8, boxes8, 8, 6, faces);
  return nms(faces, NMS_IOU);
}

/**
 * Picks BlazeFace's four outputs out of what the model returned, by shape (their names depend on
 * how the model was exported); reads the data of those four only. Undefined when one is missing.
 * @param {Array<{ dims: ArrayLike<number>, type: string, data: () => Uint8Array }>} outputs
 */
export function blazefaceOutputs(outputs) {
  /** @type {Record<string, Float32Array>} */
  const found = {};
  for (const { dims, type, data } of outputs) {
    if (dims.length !== 3 || type !== 'FP32') continue;
    const grid = dims[1] === ANCHORS_16 ? '16' : dims[1] === ANCHORS_8 ? '8' : undefined;
    const kind = dims[2] === 1 ? 'scores' : dims[2] === VALUES ? 'boxes' : undefined;
    if (grid && kind) found[kind + grid] = floats(data());
  }
  const { scores16, boxes16, scores8, boxes8 } = found;
  return scores16 && boxes16 && scores8 && boxes8 ? { scores16, boxes16, scores8, boxes8 } : undefined;
}

/**
 * Little-endian f32 bytes as a Float32Array (a view when aligned, else a copy).
 * @param {Uint8Array} bytes
 */
export function floats(bytes) {
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  return new Float32Array(bytes.slice().buffer, 0, bytes.byteLength >> 2);
}

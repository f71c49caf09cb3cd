// Greedy non-maximum suppression over boxes in single precision (Math.fround at every step, as
// the C guests' blazeface_post.h computes in float).

const f = Math.fround;

/** @typedef {{ score: number, x: number, y: number, w: number, h: number }} Face */

/**
 * Intersection over union of two boxes (x, y top-left).
 * @param {Face} a
 * @param {Face} b
 */
export function iou(a, b) {
  const x0 = Math.max(a.x, b.x), y0 = Math.max(a.y, b.y);
  const x1 = Math.min(f(a.x + a.w), f(b.x + b.w)), y1 = Math.min(f(a.y + a.h), f(b.y + b.h));
  const inter = f(Math.max(0, f(x1 - x0)) * Math.max(0, f(y1 - y0)));
  const union = f(f(f(a.w * a.h) + f(b.w * b.h)) - inter);
  return union > 0 ? f(inter / union) : 0;
}

/**
 * Sorts best first (stable: equal scores keep their order) and keeps a box unless a kept one
 * overlaps it by more than `maxIou`.
 * @template {Face} T
 * @param {T[]} faces
 * @param {number} maxIou
 * @returns {T[]}
 */
export function nms(faces, maxIou) {
  const sorted = [...faces].sort((a, b) => b.score - a.score);
  /** @type {T[]} */
  const kept = [];
  for (const face of sorted) if (kept.every((k) => iou(k, face) <= maxIou)) kept.push(face);
  return kept;
}

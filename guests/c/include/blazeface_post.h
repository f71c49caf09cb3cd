// BlazeFace (MediaPipe front model, 128x128) post-processing for C guests: the anchors, the box
// decoding and greedy non-maximum suppression. This is the part of a detector that stays with the
// application (the host runs the network; the app decides what a face is).
//
// The model's outputs: scores [1,512,1] and boxes [1,512,16] for a 16x16 grid with 2 anchors per
// cell (stride 8), scores [1,384,1] and boxes [1,384,16] for an 8x8 grid with 6 anchors per cell
// (strides 16, 16, 16 merged). Anchor centres are ((col + 0.5) / cells, (row + 0.5) / cells); the
// anchors have unit size (MediaPipe's fixed_anchor_size), so a box is
//   centre = anchor + offset / 128, size = raw / 128        (fractions of the input)
// and the score is sigmoid(clamp(logit, -100, 100)). Keypoints (the other 12 values) are not used.
#ifndef BLAZEFACE_POST_H
#define BLAZEFACE_POST_H

#include <math.h>
#include <stddef.h>

#define BF_INPUT 128
#define BF_ANCHORS_16 512  // 16 * 16 * 2
#define BF_ANCHORS_8 384   // 8 * 8 * 6
#define BF_VALUES 16       // per box: cx, cy, w, h, then 6 keypoints (x, y)

// Scores at or above this are faces by default (an app may configure another): the cat in the demo (chelsea.png) peaks at 0.54, the
// astronaut's face at 0.92. Boxes overlapping a better one by more than BF_NMS_IOU are dropped.
#define BF_MIN_SCORE 0.75f
#define BF_NMS_IOU 0.3f

/** A face, box in fractions of the image (x, y top-left). */
typedef struct { float score, x, y, w, h; } bf_face_t;

static inline float bf_sigmoid(float logit) {
  if (logit < -100.f) logit = -100.f;
  if (logit > 100.f) logit = 100.f;
  return 1.f / (1.f + expf(-logit));
}

/** The best score among `n` score logits (one grid's output); its index goes to *at. */
static inline float bf_best_score(const float *logits, size_t n, size_t *at) {
  float best = -1.f;
  for (size_t i = 0; i < n; i++) {
    float p = bf_sigmoid(logits[i]);
    if (p > best) best = p, *at = i;
  }
  return best;
}

/** Appends the boxes of one grid scoring at least `min_score`; returns the new count. */
static inline size_t bf_decode_grid(const float *scores, const float *boxes, int cells, int per_cell, float min_score,
                                    bf_face_t *out, size_t n, size_t max) {
  for (int row = 0; row < cells; row++) {
    for (int col = 0; col < cells; col++) {
      for (int a = 0; a < per_cell; a++) {
        size_t i = ((size_t)row * cells + col) * per_cell + a;
        float score = bf_sigmoid(scores[i]);
        if (score < min_score || n >= max) continue;
        const float *b = boxes + i * BF_VALUES;
        float cx = (col + 0.5f) / cells + b[0] / BF_INPUT;
        float cy = (row + 0.5f) / cells + b[1] / BF_INPUT;
        float w = b[2] / BF_INPUT, h = b[3] / BF_INPUT;
        out[n++] = (bf_face_t){score, cx - w / 2, cy - h / 2, w, h};
      }
    }
  }
  return n;
}

static inline float bf_iou(const bf_face_t *a, const bf_face_t *b) {
  float x0 = fmaxf(a->x, b->x), y0 = fmaxf(a->y, b->y);
  float x1 = fminf(a->x + a->w, b->x + b->w), y1 = fminf(a->y + a->h, b->y + b->h);
  float inter = fmaxf(0.f, x1 - x0) * fmaxf(0.f, y1 - y0);
  float uni = a->w * a->h + b->w * b->h - inter;
  return uni > 0.f ? inter / uni : 0.f;
}

/** Greedy NMS in place: sorts by score (best first), keeps a box unless a kept one overlaps it. */
static inline size_t bf_nms(bf_face_t *faces, size_t n, float max_iou) {
  for (size_t i = 1; i < n; i++) {  // insertion sort: n is small (boxes above the threshold)
    bf_face_t f = faces[i];
    size_t j = i;
    for (; j > 0 && faces[j - 1].score < f.score; j--) faces[j] = faces[j - 1];
    faces[j] = f;
  }
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    int keep = 1;
    for (size_t k = 0; k < kept && keep; k++) keep = bf_iou(&faces[k], &faces[i]) <= max_iou;
    if (keep) faces[kept++] = faces[i];
  }
  return kept;
}

/**
 * The whole post-processing: both grids, threshold (`min_score`, BF_MIN_SCORE unless configured), NMS. Returns the number of faces in `out`.
 * Not inlined: called once per frame, it gets V8's optimising tier from the second frame on.
 */
__attribute__((noinline)) static size_t bf_detect(const float *scores16, const float *boxes16, const float *scores8, const float *boxes8,
                               float min_score, bf_face_t *out, size_t max) {
  size_t n = bf_decode_grid(scores16, boxes16, 16, 2, min_score, out, 0, max);
  n = bf_decode_grid(scores8, boxes8, 8, 6, min_score, out, n, max);
  return bf_nms(out, n, BF_NMS_IOU);
}

#endif

//! BlazeFace (MediaPipe front model, 128x128) post-processing: anchors, box decoding and greedy
//! non-maximum suppression — the part of a detector that stays with the application. The same
//! arithmetic, in f32 and in the same order, as the C apps' guests/c/include/blazeface_post.h, so
//! that both print the same faces.
//!
//! Outputs: scores [1,512,1] and boxes [1,512,16] for a 16x16 grid with 2 anchors per cell, scores
//! [1,384,1] and boxes [1,384,16] for an 8x8 grid with 6 per cell. Anchor centres are
//! ((col + 0.5) / cells, (row + 0.5) / cells), unit size, so a box is centre = anchor + offset / 128,
//! size = raw / 128 (fractions of the input); score = sigmoid(clamp(logit, -100, 100)).

pub const INPUT: u32 = 128;
pub const ANCHORS_16: u32 = 512; // 16 * 16 * 2
pub const ANCHORS_8: u32 = 384; // 8 * 8 * 6
pub const VALUES: u32 = 16; // per box: cx, cy, w, h, then 6 keypoints (x, y)

/// Scores at or above this are faces (the cat of the demo peaks at 0.54, the astronaut at 0.92).
const MIN_SCORE: f32 = 0.75;
/// Boxes overlapping a better one by more than this are dropped.
const NMS_IOU: f32 = 0.3;
/// At most this many candidates are kept before NMS.
pub const MAX_FACES: usize = 64;

/// A face; the box in fractions of the image (x, y top-left).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Face {
    pub score: f32,
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// The four output tensors, as `f32`s.
pub struct Outputs {
    pub scores16: Vec<f32>,
    pub boxes16: Vec<f32>,
    pub scores8: Vec<f32>,
    pub boxes8: Vec<f32>,
}

fn sigmoid(logit: f32) -> f32 {
    // Comparisons, not f32::clamp, as in C: a NaN logit passes through the same way.
    let l = if logit < -100.0 { -100.0 } else if logit > 100.0 { 100.0 } else { logit };
    1.0 / (1.0 + (-l).exp())
}

/// Appends the boxes of one grid scoring at least MIN_SCORE.
fn decode_grid(scores: &[f32], boxes: &[f32], cells: usize, per_cell: usize, out: &mut Vec<Face>) {
    let input = INPUT as f32;
    for row in 0..cells {
        for col in 0..cells {
            for a in 0..per_cell {
                let i = (row * cells + col) * per_cell + a;
                let (Some(&logit), Some(b)) = (scores.get(i), boxes.get(i * VALUES as usize..i * VALUES as usize + 4)) else { continue };
                let score = sigmoid(logit);
                if score < MIN_SCORE || out.len() >= MAX_FACES {
                    continue;
                }
                let cx = (col as f32 + 0.5) / cells as f32 + b[0] / input;
                let cy = (row as f32 + 0.5) / cells as f32 + b[1] / input;
                let (w, h) = (b[2] / input, b[3] / input);
                out.push(Face { score, x: cx - w / 2.0, y: cy - h / 2.0, w, h });
            }
        }
    }
}

fn iou(a: &Face, b: &Face) -> f32 {
    let (x0, y0) = (a.x.max(b.x), a.y.max(b.y));
    let (x1, y1) = ((a.x + a.w).min(b.x + b.w), (a.y + a.h).min(b.y + b.h));
    let inter = (x1 - x0).max(0.0) * (y1 - y0).max(0.0);
    let union = a.w * a.h + b.w * b.h - inter;
    if union > 0.0 {
        inter / union
    } else {
        0.0
    }
}

/// Greedy NMS: best score first (a stable sort, like the C insertion sort), a box is kept unless a
/// kept one overlaps it by more than NMS_IOU.
fn nms(mut faces: Vec<Face>) -> Vec<Face> {
    for i in 1..faces.len() {
        let f = faces[i];
        let mut j = i;
        while j > 0 && faces[j - 1].score < f.score {
            faces[j] = faces[j - 1];
            j -= 1;
        }
        faces[j] = f;
    }
    let mut kept: Vec<Face> = Vec::with_capacity(faces.len());
    for f in faces {
        if kept.iter().all(|k| iou(k, &f) <= NMS_IOU) {
            kept.push(f);
        }
    }
    kept
}

/// The whole post-processing: both grids, threshold, NMS. Not inlined: V8 tiers a wasm function
/// up between calls, never during one, so per-frame work inlined into the frame loop would run
/// unoptimised for the whole program.
#[inline(never)]
pub fn detect(o: &Outputs) -> Vec<Face> {
    let mut faces = Vec::new();
    decode_grid(&o.scores16, &o.boxes16, 16, 2, &mut faces);
    decode_grid(&o.scores8, &o.boxes8, 8, 6, &mut faces);
    nms(faces)
}

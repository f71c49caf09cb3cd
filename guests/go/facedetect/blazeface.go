package main

// BlazeFace (MediaPipe front model, 128x128) post-processing: anchors, box decoding and greedy
// non-maximum suppression, the part of a detector that stays with the application. The same
// float32 arithmetic in the same order as the C apps (guests/c/include/blazeface_post.h), so that
// both print the same faces.
//
// Outputs: scores [1,512,1] and boxes [1,512,16] for a 16x16 grid with 2 anchors per cell, scores
// [1,384,1] and boxes [1,384,16] for an 8x8 grid with 6 per cell. Anchor centres are
// ((col + 0.5) / cells, (row + 0.5) / cells), unit size, so a box is centre = anchor + offset / 128,
// size = raw / 128 (fractions of the input); score = sigmoid(clamp(logit, -100, 100)).

import "math"

const (
	inputSize = 128
	anchors16 = 512 // 16 * 16 * 2
	anchors8  = 384 // 8 * 8 * 6
	values    = 16  // per box: cx, cy, w, h, then 6 keypoints (x, y)
	// minScore: scores at or above it are faces (the cat of the demo peaks at 0.54, the astronaut at 0.92).
	minScore = float32(0.75)
	// nmsIoU: boxes overlapping a better one by more than this are dropped.
	nmsIoU = float32(0.3)
	// maxFaces candidates at most are kept before NMS.
	maxFaces = 64
)

// face is a detection; the box in fractions of the image (x, y top-left).
type face struct{ score, x, y, w, h float32 }

type outputs struct{ scores16, boxes16, scores8, boxes8 []float32 }

func sigmoid(logit float32) float32 {
	// comparisons, as in C: a NaN logit passes through the same way
	l := logit
	if l < -100 {
		l = -100
	} else if l > 100 {
		l = 100
	}
	// Go has no float32 exp: the float64 one, rounded, is what a correctly rounded expf gives
	return 1 / (1 + float32(math.Exp(float64(-l))))
}

// decodeGrid appends the boxes of one grid that score at least minScore.
func decodeGrid(scores, boxes []float32, cells, perCell int, out []face) []face {
	const input = float32(inputSize)
	for row := 0; row < cells; row++ {
		for col := 0; col < cells; col++ {
			for a := 0; a < perCell; a++ {
				i := (row*cells+col)*perCell + a
				if i >= len(scores) || i*values+4 > len(boxes) {
					continue
				}
				score := sigmoid(scores[i])
				if score < minScore || len(out) >= maxFaces {
					continue
				}
				b := boxes[i*values : i*values+4]
				cx := (float32(col)+0.5)/float32(cells) + b[0]/input
				cy := (float32(row)+0.5)/float32(cells) + b[1]/input
				w, h := b[2]/input, b[3]/input
				out = append(out, face{score: score, x: cx - w/2, y: cy - h/2, w: w, h: h})
			}
		}
	}
	return out
}

func iou(a, b face) float32 {
	x0, y0 := max(a.x, b.x), max(a.y, b.y)
	x1, y1 := min(a.x+a.w, b.x+b.w), min(a.y+a.h, b.y+b.h)
	inter := max(x1-x0, 0) * max(y1-y0, 0)
	union := a.w*a.h + b.w*b.h - inter
	if union > 0 {
		return inter / union
	}
	return 0
}

// nms is greedy: best score first (a stable insertion sort, as in C), a box is kept unless a kept
// one overlaps it by more than nmsIoU.
func nms(faces []face) []face {
	for i := 1; i < len(faces); i++ {
		f := faces[i]
		j := i
		for j > 0 && faces[j-1].score < f.score {
			faces[j] = faces[j-1]
			j--
		}
		faces[j] = f
	}
	kept := make([]face, 0, len(faces))
next:
	for _, f := range faces {
		for _, k := range kept {
			if iou(k, f) > nmsIoU {
				continue next
			}
		}
		kept = append(kept, f)
	}
	return kept
}

// detectFaces is the whole post-processing: both grids, the threshold, NMS.
func detectFaces(o outputs) []face {
	faces := decodeGrid(o.scores16, o.boxes16, 16, 2, nil)
	faces = decodeGrid(o.scores8, o.boxes8, 8, 6, faces)
	return nms(faces)
}

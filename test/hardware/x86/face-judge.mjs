// Judges the x86 board's face check (guest.sh): the face detector (guests/c/facedetect.c) through
// `wasi-edge run` on vivid's HDMI capture node, which loops back the frames a feeder plays into the
// same instance's HDMI output (the fixture astronaut, face-frame.mjs). The expected face is a box
// labelled by hand on fixtures/images/astronaut.png (cheek to cheek, hairline to chin, read off a
// 10-pixel grid drawn over the fixture), not one any detector computed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FACE_FRAME } from './face-frame.mjs';

/** The astronaut's face in fixtures/images/astronaut.png (512x512), labelled by hand. */
export const HAND_LABELLED_FACE = { x: 183, y: 78, w: 87, h: 103 };
/** Frames the guest reads (guest.sh passes FRAMES). */
export const FACE_FRAMES = 8;
/** The box the detector must overlap: IoU with the hand-labelled box at least this. */
const MIN_IOU = 0.7;

function iou(a, b) {
  const w = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (w * h) / (a.w * a.h + b.w * b.h - w * h);
}

/** `framePath`: the frame the feeder played (face-frame.mjs wrote it). */
export function judgeFace(board, outDir, framePath, { report, readCheck }) {
  let ok = true;
  const setup = readCheck(outDir, 'face-setup');
  // vivid loops output to capture only when both ends are HDMI with the same format and size.
  ok = report(board, 'vivid instance 1: HDMI output (512x512 RGB3) looped to its HDMI capture', setup.rc === 0 &&
    /^cap vivid-001-vid-cap out vivid-001-vid-out$/m.test(setup.out) && /Width\/Height\s*: 512\/512/.test(setup.out) &&
    /Pixel Format\s*: 'RGB3'/.test(setup.out) && /^loop_video: 1$/m.test(setup.out),
  setup.rc === 0 ? setup.out.split('\n').filter((l) => /vivid-|loop_video|Width|Pixel Format/.test(l)).map((l) => l.trim()).join('; ') : setup.err.trim().slice(-400)) && ok;

  const captured = join(outDir, 'face-captured.rgb');
  const same = existsSync(captured) && existsSync(framePath) && readFileSync(captured).equals(readFileSync(framePath));
  ok = report(board, 'vivid\'s capture of the loop is the fed frame, byte for byte (one frame by v4l2-ctl)', same,
    existsSync(captured) ? `${statSync(captured).size} bytes captured` : readCheck(outDir, 'face-captured').err.trim().slice(-300)) && ok;

  const run = readCheck(outDir, 'facedetect');
  ok = report(board, 'wasi-edge run facedetect on vivid\'s HDMI capture exits 0', run.rc === 0, run.rc === 0 ? '' : `exit ${run.rc}; stderr: ${run.err.trim().slice(-600)}`) && ok;
  const lines = run.out.split('\n').filter((l) => l.startsWith('{')).flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
  const frames = lines.filter((l) => 'frame' in l);
  const expected = { ...HAND_LABELLED_FACE, x: HAND_LABELLED_FACE.x + FACE_FRAME.left, y: HAND_LABELLED_FACE.y + FACE_FRAME.top };
  const per = frames.map((f) => (f.faces.length === 1 ? iou(f.faces[0].box, expected) : -f.faces.length));
  const good = per.filter((v) => v >= MIN_IOU).length;
  const shown = per.map((v) => (v >= 0 ? v.toFixed(2) : `${-v} faces`)).join(' ');
  ok = report(board, `facedetect: one face per frame, IoU >= ${MIN_IOU} with the hand-labelled box, ${FACE_FRAMES} frames`,
    frames.length === FACE_FRAMES && good === FACE_FRAMES, `${good}/${frames.length} frames; IoU ${shown || '(none)'}`) && ok;
  const summary = lines.find((l) => 'summary' in l)?.summary;
  ok = report(board, 'facedetect summary: the v4l2 camera, every frame read', summary?.camera === 'camera:0' && summary?.frames === FACE_FRAMES,
    JSON.stringify(summary) ?? '(no summary line)') && ok;
  const feeder = readCheck(outDir, 'face-feeder');
  ok = report(board, 'the feeder (v4l2-ctl --stream-out-mmap) played the frame until the detector finished', /fps/.test(feeder.out + feeder.err),
    (feeder.out + feeder.err).split(/\r|\n/).filter((l) => /fps/.test(l)).pop()?.replace(/^[<>]+/, '').trim() ?? (feeder.out + feeder.err).trim().slice(-300)) && ok;
  return ok;
}

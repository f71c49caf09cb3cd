// The frame the vivid feeder plays into vivid's HDMI output (guest.sh, the face check): the fixture
// astronaut (fixtures/images/astronaut.png, 512x512 RGB) as one raw RGB24 frame. Square on purpose:
// the detector squeezes a frame into its 128x128 input, so on a 4:3 frame its box is stretched by
// the same 4:3 (measured: 120x90 on 640x480), which would be judging that, not the camera. vivid
// scales both ends of its loop to the 1280x720 HDMI timings, and 512x512 on both ends is a 1:1
// copy. The pixels are placed at (left, top) unscaled, so a box labelled on the fixture moves by
// that offset only (face-judge.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { decode } from 'fast-png';

export const FACE_FRAME = { width: 512, height: 512, left: 0, top: 0 };

/** Writes one raw RGB24 frame (width * height * 3 bytes, rows packed, black where the fixture is not) to `out`. */
export function writeFaceFrame(png, out) {
  const img = decode(readFileSync(png));
  const { width, height, left, top } = FACE_FRAME;
  const frame = Buffer.alloc(width * height * 3);
  const rows = Math.min(img.height, height - top);
  const cols = Math.min(img.width, width - left);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const s = (y * img.width + x) * img.channels;
      const d = ((y + top) * width + x + left) * 3;
      frame[d] = img.data[s];
      frame[d + 1] = img.data[s + 1];
      frame[d + 2] = img.data[s + 2];
    }
  }
  writeFileSync(out, frame);
  return frame.length;
}

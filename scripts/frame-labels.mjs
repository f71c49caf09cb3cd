// Text on the live stream's frames (scripts/demo-stream.mjs): each face's score above its box and
// the camera's frame number with the BME280's temperature in a corner. wasi:vision has no text
// (a font is the app's business, not the host's), so the demo writes the labels after the app has
// drawn its boxes, from the JSON line the app printed for that frame. A 5×7 bitmap font with just
// the characters these labels use keeps it free of font files and the same on every machine.

// Each glyph is seven rows of five columns; '#' is ink.
const GLYPHS = {
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['####.', '....#', '....#', '.###.', '....#', '....#', '####.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  '.': ['.....', '.....', '.....', '.....', '.....', '.##..', '.##..'],
  '-': ['.....', '.....', '.....', '.###.', '.....', '.....', '.....'],
  '#': ['.#.#.', '.#.#.', '#####', '.#.#.', '#####', '.#.#.', '.#.#.'],
  '/': ['.....', '....#', '...#.', '..#..', '.#...', '#....', '.....'],
  '°': ['.##..', '#..#.', '#..#.', '.##..', '.....', '.....', '.....'],
  'A': ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  'C': ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  'N': ['#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#', '#...#'],
  ' ': ['.....', '.....', '.....', '.....', '.....', '.....', '.....'],
};
const GLYPH_W = 5, GLYPH_H = 7, GAP = 1, PAD = 2;

/** Width and height in pixels of `text` drawn at `scale`, with the background's padding. */
export function labelSize(text, scale) {
  return { w: (text.length * (GLYPH_W + GAP) - GAP) * scale + 2 * PAD, h: GLYPH_H * scale + 2 * PAD };
}

/**
 * Draws `text` with its top-left corner at (x, y), moved inside the image where it would not fit,
 * ink `color` on a black box so it reads on any picture. `raster` is the library's rgb24 or rgba
 * raster (dist/vision: decodeImage); characters the font lacks are an error, not a blank.
 */
export function drawLabel(raster, x, y, text, color, scale = 2) {
  const { width, height, data } = raster;
  const channels = raster.format === 'rgba' ? 4 : raster.format === 'rgb24' ? 3 : 0;
  if (!channels) throw new Error(`frame-labels: cannot draw on ${raster.format} frames (rgb24 or rgba only)`);
  const stride = raster.planes[0].stride;
  const size = labelSize(text, scale);
  const left = Math.max(0, Math.min(x, width - size.w));
  const top = Math.max(0, Math.min(y, height - size.h));
  const paint = (px, py, rgb) => {
    if (px < 0 || py < 0 || px >= width || py >= height) return;
    const at = py * stride + px * channels;
    data[at] = rgb[0]; data[at + 1] = rgb[1]; data[at + 2] = rgb[2];
  };
  for (let py = 0; py < size.h; py++) for (let px = 0; px < size.w; px++) paint(left + px, top + py, [0, 0, 0]);
  [...text].forEach((ch, i) => {
    const glyph = GLYPHS[ch];
    if (!glyph) throw new Error(`frame-labels: no glyph for ${JSON.stringify(ch)}`);
    const gx = left + PAD + i * (GLYPH_W + GAP) * scale;
    for (let row = 0; row < GLYPH_H; row++) {
      for (let col = 0; col < GLYPH_W; col++) {
        if (glyph[row][col] !== '#') continue;
        for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) paint(gx + col * scale + dx, top + PAD + row * scale + dy, color);
      }
    }
  });
}

/** The labels of one frame's JSON line (guests/c/facedetect.c prints it): one per face, and the corner. */
export function frameLabels(line) {
  const labels = line.faces.map((f) => ({ x: f.box.x, y: f.box.y - labelSize('0', 2).h - 1, text: f.score.toFixed(2), color: [255, 220, 0] }));
  const temperature = line.temperature === null ? 'N/A' : `${line.temperature.toFixed(1)}°C`;
  labels.push({ x: 0, y: 0, text: `#${line.frame} ${temperature}`, color: [255, 255, 255] });
  return labels;
}

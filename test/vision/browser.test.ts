/**
 * The vision provider must run in browsers: nothing it loads may import a Node module, and the
 * codecs must work without a global `Buffer`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-guest.js';
import { harness, layout, meanAbsDiff, randomBytes } from './helpers.js';

/** Every runtime import (not `import type`) reachable from a file through relative imports. */
function runtimeImports(entry: string, seen = new Set<string>(), bare = new Set<string>()): Set<string> {
  if (seen.has(entry)) return bare;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) runtimeImports(resolve(dirname(entry), spec.replace(/\.js$/, '.ts')), seen, bare);
    else bare.add(spec);
  }
  return bare;
}

describe('browser safety', () => {
  it('src/vision (and what it loads from src/host) imports only fast-png, jpeg-js and node:module, never sharp', () => {
    const bare = runtimeImports(join(ROOT, 'src/vision/index.ts'));
    // node:module is how the sharp backend finds its optional package (src/core/optional-package.ts);
    // the browser build swaps it for a stand-in where sharp is not installed, so auto is typescript there.
    expect([...bare].sort()).toEqual(['fast-png', 'jpeg-js', 'node:module']);
  });

  it('encodes and decodes JPEG and PNG with no global Buffer', () => {
    const g = globalThis as { Buffer?: unknown };
    const saved = g.Buffer;
    delete g.Buffer;
    try {
      const { Image } = harness();
      const px = new Uint8Array(16 * 16 * 3).map((_, i) => (i * 3) & 255);
      const img = Image.fromPixels(layout(16, 16, 'rgb24'), px);
      const jpeg = img.encode({ tag: 'jpeg', val: 95 });
      expect(jpeg.constructor).toBe(Uint8Array);
      expect(meanAbsDiff(Image.fromEncoded(jpeg).read(undefined), px)).toBeLessThan(12);
      const png = Image.fromPixels(layout(4, 4, 'gray'), randomBytes(16)).encode({ tag: 'png' });
      expect(Image.fromEncoded(png).width()).toBe(4);
      expect(g.Buffer).toBeUndefined();
    } finally {
      g.Buffer = saved;
    }
  });
});

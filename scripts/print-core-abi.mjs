#!/usr/bin/env node
// Prints the core-module imports/exports that a guest of a world must have (canonical ABI),
// by embedding a dummy module: the offline stand-in for wit-bindgen when writing C headers.
// Usage: node scripts/print-core-abi.mjs [world] [filter]
import { dummy, print, root } from './wasm-tools.mjs';
import { join } from 'node:path';

const world = process.argv[2] ?? 'edge-imports';
const filter = process.argv[3];
const text = await print(await dummy(join(root, 'wit'), world));
// Core function types, so that `(type 8)` in an import can be read as its signature.
const types = new Map();
for (const m of text.matchAll(/\(type \(;(\d+);\) (\(func[^\n]*\))\)/g)) types.set(m[1], m[2]);
for (const line of text.split('\n')) {
  if ((line.includes('(import') || line.includes('(export')) && (!filter || line.includes(filter))) {
    const t = /\(type (\d+)\)/.exec(line);
    console.log(line.trim() + (t ? `  ;; ${types.get(t[1]) ?? ''}` : ''));
  }
}

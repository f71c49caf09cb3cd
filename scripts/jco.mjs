#!/usr/bin/env node
// Runs the latest jco CLI (tooling only: parse, embed, new, types, wit).
// preview2-shim 0.26.1 dropped its default "/" preopen, so every jco command that reads a WIT path
// fails with "No such file or directory (os error 44)". Preopen the root before jco starts.
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

_setPreopens({ '/': '/' });
const root = fileURLToPath(new URL('..', import.meta.url));
await import(pathToFileURL(join(root, 'node_modules/@bytecodealliance/jco/dist/jco.js')).href);

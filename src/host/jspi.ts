/**
 * What JSPI mode (src/core/jspi.ts) means for a transpile: the imports the providers may answer
 * with a Promise (each interface's definition names its own, `suspendingImports`) become
 * `WebAssembly.Suspending`, and the entry points the runner calls become `WebAssembly.promising`
 * (they return a Promise, which the runner awaits). Part of the transpile cache's key: bindings
 * made for JSPI and bindings made without it are different files.
 */
import { INTERFACES } from './interfaces.js';
import type { InterfaceDefinition } from '../core/provider.js';

/** jco's `asyncImports`, in its spelling (`wasi:io/poll#[method]pollable.block`). */
export const JSPI_IMPORTS: readonly string[] = (INTERFACES as readonly InterfaceDefinition[]).flatMap((d) => d.suspendingImports ?? []);

/** jco's `asyncExports`: the entry points of runner.ts (`entryPoint`). */
export const JSPI_EXPORTS: readonly string[] = ['wasi:cli/run#run', 'wasi:sensor/interface#main'];

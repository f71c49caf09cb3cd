/**
 * WASI 0.2 imports from preview2-shim, sandboxed to what the configuration grants, with two
 * changes a library host needs: `wasi:cli/exit` ends the guest instead of the whole Node process,
 * and stdout/stderr can be captured by the embedder instead of going to the process's own.
 */
import { statSync } from 'node:fs';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { ConfigError } from '../../core/validate.js';
import { cli, io } from '@bytecodealliance/preview2-shim';
import type { WasiConfig } from '../../core/wasi-config.js';
import { GuestExit, type OutputSink, type StdioOptions } from '../../core/guest-exit.js';
import { capturedStream, hostCli, shimSandbox } from '../../core/wasi-cli.js';

export { GuestExit, type OutputSink, type StdioOptions };

/**
 * preview2-shim passes guest paths straight to node:fs, which throws a TypeError (not a WASI error
 * code) for a path with a NUL byte; jco rethrows an Error from an import, so one guest string would
 * end the host's run instead of returning `invalid` (test/hardening/paths.test.ts). Patched once on
 * the shim's Descriptor class: every method that gets such a string returns `invalid` instead.
 */
const guardedDescriptors = new WeakSet<object>();
function guardNulPaths(imports: Record<string, Record<string, unknown>>): void {
  const Descriptor = imports['wasi:filesystem/types']?.Descriptor as { prototype: Record<string, unknown> } | undefined;
  const proto = Descriptor?.prototype;
  if (!proto || guardedDescriptors.has(proto)) return;
  guardedDescriptors.add(proto);
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = Object.getOwnPropertyDescriptor(proto, name)?.value as unknown;
    if (name === 'constructor' || typeof method !== 'function') continue;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      if (args.some((a) => typeof a === 'string' && a.includes('\0'))) throw 'invalid';
      return (method as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
}

/**
 * Every preopen must be an existing host directory: preview2-shim would accept a missing one and
 * the guest would meet it as an empty or failing filesystem, far from the typo that caused it.
 */
function checkPreopens(preopens: Record<string, string>): void {
  for (const [guest, host] of Object.entries(preopens)) {
    let isDir = false;
    try {
      isDir = statSync(host).isDirectory();
    } catch {
      throw new ConfigError(`wasi.preopens.${guest}`, 'an existing host directory', host);
    }
    if (!isDir) throw new ConfigError(`wasi.preopens.${guest}`, 'a host directory (not a file)', host);
  }
}

export function createWasiImports(config: WasiConfig, stdio: StdioOptions = {}): Record<string, Record<string, unknown>> {
  checkPreopens(config.preopens);
  // The process stream's pollable is always ready for a write too, so a captured stream lends it.
  const capture = (sink: OutputSink | undefined, processStream: () => { subscribe(): unknown }) => {
    if (!sink) return undefined;
    const fallback = processStream();
    return capturedStream(io.streams.OutputStream, sink, () => fallback.subscribe());
  };
  const shim = new WASIShim({
    cli: hostCli(cli, config, {
      stdout: capture(stdio.stdout, () => cli.stdout.getStdout()),
      stderr: capture(stdio.stderr, () => cli.stderr.getStderr()),
    }),
    sandbox: { preopens: { ...config.preopens }, ...shimSandbox(config) },
  } as ConstructorParameters<typeof WASIShim>[0]);
  const imports = shim.getImportObject() as unknown as Record<string, Record<string, unknown>>;
  guardNulPaths(imports);
  return imports;
}

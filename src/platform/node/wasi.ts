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

export { GuestExit, type OutputSink, type StdioOptions };

/** The part of the shim's OutputStream that a guest's stdout uses. */
interface ShimOutputStream {
  checkWrite(): bigint;
  write(buf: Uint8Array): void;
  blockingWriteAndFlush(buf: Uint8Array): void;
  flush(): void;
  blockingFlush(): void;
  subscribe(): unknown;
}

/**
 * An output stream of the shim's own class (jco checks `instanceof` when the guest receives it)
 * whose writes go to a JS callback, synchronously.
 */
function capturedStream(sink: OutputSink, fallback: { subscribe(): unknown }): ShimOutputStream {
  const Base = io.streams.OutputStream as unknown as new () => ShimOutputStream;
  class CapturedOutputStream extends Base implements ShimOutputStream {
    override checkWrite(): bigint {
      return 1n << 20n;
    }
    override write(buf: Uint8Array): void {
      sink(buf.slice());
    }
    override blockingWriteAndFlush(buf: Uint8Array): void {
      sink(buf.slice());
    }
    override flush(): void {}
    override blockingFlush(): void {}
    override subscribe() {
      // Writes never wait, so the stream is always ready: the process stream's pollable is too.
      return fallback.subscribe();
    }
  }
  return new CapturedOutputStream();
}

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
  const stdoutStream = stdio.stdout ? capturedStream(stdio.stdout, cli.stdout.getStdout()) : undefined;
  const stderrStream = stdio.stderr ? capturedStream(stdio.stderr, cli.stderr.getStderr()) : undefined;
  const env = Object.entries(config.env);
  const args = [...config.args];
  const customCli = {
    ...cli,
    environment: {
      getEnvironment: () => env,
      getArguments: () => args,
      initialCwd: () => undefined,
    },
    exit: {
      exit(status: { tag: 'ok' | 'err' }): never {
        throw new GuestExit(status.tag === 'err' ? 1 : 0);
      },
      exitWithCode(code: number): never {
        throw new GuestExit(code);
      },
    },
    stdout: stdoutStream ? { getStdout: () => stdoutStream } : cli.stdout,
    stderr: stderrStream ? { getStderr: () => stderrStream } : cli.stderr,
  };
  const shim = new WASIShim({
    cli: customCli,
    sandbox: { preopens: { ...config.preopens }, env: { ...config.env }, args, enableNetwork: config.network },
  } as ConstructorParameters<typeof WASIShim>[0]);
  const imports = shim.getImportObject() as unknown as Record<string, Record<string, unknown>>;
  guardNulPaths(imports);
  return imports;
}

/**
 * The part of `wasi:cli` that a library host changes in preview2-shim, on Node
 * (src/platform/node/wasi.ts) and in a browser (src/platform/browser/wasi.ts) alike: arguments and
 * environment come from the config, `exit` ends the guest instead of the process, and stdout/stderr
 * can go to the embedder's callbacks. The shim's own modules are passed in, so each platform hands
 * over its own build of the shim and this file imports no package.
 */
import { GuestExit, type OutputSink } from './guest-exit.js';
import type { WasiConfig } from './wasi-config.js';

/** The part of the shim's OutputStream that a guest's stdout uses. */
export interface ShimOutputStream {
  checkWrite(): bigint;
  write(buf: Uint8Array): void;
  blockingWriteAndFlush(buf: Uint8Array): void;
  flush(): void;
  blockingFlush(): void;
  subscribe(): unknown;
}

/**
 * An output stream of the shim's own class `Base` (jco checks `instanceof` when the guest receives
 * it) whose writes go to `sink`, synchronously. Writes never wait, so `subscribe` hands out
 * `alwaysReady()`: a pollable of the platform's shim that is ready at once.
 */
export function capturedStream(Base: unknown, sink: OutputSink, alwaysReady: () => unknown): ShimOutputStream {
  const Stream = Base as new () => ShimOutputStream;
  class CapturedOutputStream extends Stream implements ShimOutputStream {
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
      return alwaysReady();
    }
  }
  return new CapturedOutputStream();
}

/** Streams that replace the shim's process stdout/stderr; one left out keeps the shim's. */
export interface CliStreams {
  stdout?: ShimOutputStream;
  stderr?: ShimOutputStream;
}

/**
 * The shim's `cli` namespace with arguments and environment from `config`, `exit` throwing
 * GuestExit (the runner turns it into the guest's status) and the given stdio streams.
 */
export function hostCli<Cli extends object>(cli: Cli, config: WasiConfig, streams: CliStreams): Cli {
  const env = Object.entries(config.env);
  const args = [...config.args];
  const { stdout, stderr } = streams;
  return {
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
    ...(stdout && { stdout: { getStdout: () => stdout } }),
    ...(stderr && { stderr: { getStderr: () => stderr } }),
  };
}

/** The shim's `sandbox` option for `config` (preopens are set by each platform its own way). */
export function shimSandbox(config: WasiConfig): { env: Record<string, string>; args: string[]; enableNetwork: boolean } {
  return { env: { ...config.env }, args: [...config.args], enableNetwork: config.network };
}

// The wasi:cli part both platforms change in preview2-shim (src/core/wasi-cli.ts).
import { describe, expect, it } from 'vitest';
import { GuestExit } from '../../src/core/guest-exit.js';
import { capturedStream, hostCli, shimSandbox } from '../../src/core/wasi-cli.js';

const config = { preopens: {}, env: { A: '1', B: 'two' }, args: ['app', '--x'], network: false };

/** The status a GuestExit carries out of `f`; undefined when `f` returns, -1 for any other throw. */
function exitCode(f: () => unknown): number | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof GuestExit ? e.code : -1;
  }
}

describe('wasi:cli for a library host', () => {
  it('arguments and environment come from the config; exit ends the guest with its status', () => {
    const shimCli = { environment: {}, exit: {}, stdout: 'process stdout', stderr: 'process stderr', terminalInput: 't' };
    const cli = hostCli(shimCli, config, {}) as unknown as {
      environment: { getEnvironment(): [string, string][]; getArguments(): string[] };
      exit: { exit(s: { tag: string }): never; exitWithCode(c: number): never };
      stdout: unknown;
      terminalInput: unknown;
    };
    expect(cli.environment.getEnvironment()).toEqual([['A', '1'], ['B', 'two']]);
    expect(cli.environment.getArguments()).toEqual(['app', '--x']);
    expect(exitCode(() => cli.exit.exit({ tag: 'ok' }))).toBe(0);
    expect(exitCode(() => cli.exit.exit({ tag: 'err' }))).toBe(1);
    expect(exitCode(() => cli.exit.exitWithCode(42))).toBe(42);
    // Nothing given for stdio: the shim's own streams stay, and so does the rest of its cli.
    expect(cli.stdout).toBe('process stdout');
    expect(cli.terminalInput).toBe('t');
  });

  it('a captured stream is of the shim class, copies each write to the sink and is always ready', () => {
    class ShimStream {
      checkWrite() { return 0n; }
      write(_b: Uint8Array) {}
      blockingWriteAndFlush(_b: Uint8Array) {}
      flush() {}
      blockingFlush() {}
      subscribe(): unknown { return 'shim'; }
    }
    const chunks: Uint8Array[] = [];
    const ready = { ready: true };
    const s = capturedStream(ShimStream, (c) => chunks.push(c), () => ready);
    expect(s).toBeInstanceOf(ShimStream);
    const buf = new Uint8Array([104, 105]);
    s.write(buf);
    s.blockingWriteAndFlush(new Uint8Array([33]));
    buf[0] = 0; // the guest's memory changes after the call: the sink kept its own copy
    expect(chunks.map((c) => [...c])).toEqual([[104, 105], [33]]);
    expect(s.checkWrite()).toBeGreaterThan(0n);
    expect(s.subscribe()).toBe(ready);
    const cli = hostCli({ stdout: 'p' }, config, { stdout: s }) as unknown as { stdout: { getStdout(): unknown }; stderr?: unknown };
    expect(cli.stdout.getStdout()).toBe(s);
    expect(cli.stderr).toBeUndefined();
  });

  it('the sandbox gets copies, so the shim cannot change the config', () => {
    const sandbox = shimSandbox(config);
    expect(sandbox).toEqual({ env: { A: '1', B: 'two' }, args: ['app', '--x'], enableNetwork: false });
    sandbox.args.push('more');
    expect(config.args).toEqual(['app', '--x']);
  });
});

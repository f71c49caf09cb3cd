/**
 * A child process run that keeps the test process's event loop free: the shape of spawnSync's
 * result (status, stdout, stderr), but awaited.
 *
 * Why not spawnSync: vitest's worker talks to the main process over RPC with a fixed 60 s timeout.
 * A test that blocks its event loop for longer (a tsc run or a CLI check on a loaded 2-core CI
 * machine) lets that timer fire before the reply is read, and vitest then fails the whole run with
 * "Timeout calling onTaskUpdate" although every test passed.
 */
import { spawn, type SpawnOptions } from 'node:child_process';

export interface ChildRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildRunOptions extends Pick<SpawnOptions, 'cwd' | 'env'> {
  /** Written to the child's stdin, which is then closed. */
  input?: string;
}

export function spawnAsync(command: string, args: readonly string[], options: ChildRunOptions = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (status, signal) =>
      resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    // A child that exits before reading its stdin must not fail the run with EPIPE.
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.input ?? '');
  });
}

/** execFileSync's contract, awaited: stdout on status 0, else an error carrying stderr. */
export async function execAsync(command: string, args: readonly string[], options: ChildRunOptions = {}): Promise<string> {
  const r = await spawnAsync(command, args, options);
  if (r.status !== 0) {
    throw new Error(`${command} ${args.slice(0, 2).join(' ')}… exited with ${r.status ?? r.signal}: ${r.stderr.trim().slice(-2000)}`);
  }
  return r.stdout;
}

/**
 * Command-line parsing for `wasi-edge`, kept apart from what the commands do so it can be tested.
 */
export interface CliArgs {
  command: 'run' | 'devices' | 'help' | 'version';
  component?: string;
  config?: string;
  /** host::guest pairs from --dir. */
  dirs: { host: string; guest: string }[];
  env: Record<string, string>;
  /** Arguments after `--`, passed to the guest. */
  guestArgs: string[];
  quiet: boolean;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { command: 'help', dirs: [], env: {}, guestArgs: [], quiet: false };
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  if (dash >= 0) out.guestArgs = argv.slice(dash + 1);
  const positional: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    const value = () => {
      const v = own[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return { ...out, command: 'help' };
    if (a === '--version' || a === '-V') return { ...out, command: 'version' };
    else if (a === '--config' || a === '-c') out.config = value();
    else if (a.startsWith('--config=')) out.config = a.slice('--config='.length);
    else if (a === '--dir') out.dirs.push(parseDir(value()));
    else if (a.startsWith('--dir=')) out.dirs.push(parseDir(a.slice('--dir='.length)));
    else if (a === '--env') {
      const [k, ...rest] = value().split('=');
      if (!k || rest.length === 0) throw new UsageError('--env takes NAME=VALUE');
      out.env[k] = rest.join('=');
    } else if (a === '--quiet' || a === '-q') out.quiet = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (see wasi-edge --help)`);
    else positional.push(a);
  }
  const [command, ...rest] = positional;
  if (command === undefined) return out;
  if (command === 'run') {
    if (rest.length !== 1) throw new UsageError('usage: wasi-edge run <component.wasm> [options] [-- args]');
    return { ...out, command: 'run', component: rest[0]! };
  }
  if (command === 'devices') {
    if (rest.length) throw new UsageError('usage: wasi-edge devices [--config FILE]');
    return { ...out, command: 'devices' };
  }
  if (command === 'help') return out;
  throw new UsageError(`unknown command "${command}" (commands: run, devices; see wasi-edge --help)`);
}

function parseDir(spec: string): { host: string; guest: string } {
  const i = spec.indexOf('::');
  const host = i >= 0 ? spec.slice(0, i) : spec;
  const guest = i >= 0 ? spec.slice(i + 2) : spec;
  if (!host || !guest) throw new UsageError(`--dir takes HOST::GUEST, got "${spec}"`);
  return { host, guest: guest.startsWith('/') ? guest : `/${guest}` };
}

export const HELP = `wasi-edge — run WebAssembly components against edge-device WASI interfaces
(wasi:sensor, wasi:buffer-pool, wasi:i2c, wasi:spi, wasi:nn, wasi:vision) from Node.

Usage:
  wasi-edge run <component.wasm> [--config edge.json] [--dir HOST::GUEST] [--env K=V] [-- args...]
  wasi-edge devices [--config edge.json]      what a guest would see with this configuration
  wasi-edge --help | --version

Without --config the embedded default is used: simulated devices only, no hardware needed.

Exit status of run: the guest's own (0 ok, 1 when wasi:cli/run returns an error or it exits
non-zero), 2 when the guest traps, 3 when the component could not be started (not a component,
imports this host does not provide, a bad config).`;

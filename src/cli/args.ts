/**
 * Command-line parsing for `wasi-edge`, kept apart from what the commands do so it can be tested.
 */
import { LIMIT_STATUS, parseDuration, parseLimits, parseSize, type LimitsConfig } from '../host/limits.js';
import { ConfigError } from '../core/validate.js';
import { BOARDS } from '../host/limits-boards.js';
import { splitTemplate } from '../conformance/process-runner.js';
import { JSPI_MODES, type JspiMode } from '../core/jspi.js';

function jspiMode(v: string): JspiMode {
  if (!(JSPI_MODES as readonly string[]).includes(v)) throw new UsageError(`--jspi takes ${JSPI_MODES.join(', ')}, got "${v}"`);
  return v as JspiMode;
}
export interface CliArgs {
  command: 'run' | 'devices' | 'conformance' | 'check' | 'transpile' | 'serve' | 'cache' | 'cache-clean' | 'help' | 'version';
  component?: string;
  /** serve: the device configuration file. */
  device?: string;
  /** serve --for: stop the device after this long (ms). */
  forMs?: number;
  /** serve --status-every: print every app's state this often (ms), besides each change. */
  statusEveryMs?: number;
  /** conformance: only this interface's cases. */
  interface?: string;
  /** conformance: also write the report as JSON here. */
  json?: string;
  /** conformance --host: the command template that runs one case on another host (docs: conformance/README.md). */
  host?: string;
  /** conformance --trap-status: the host command's exit statuses that mean a trap. */
  trapStatuses?: number[];
  /** conformance --jobs: cases run at once through --host. */
  jobs?: number;
  /** run --fixture: a conformance case file (the host under test's side of --host). */
  fixture?: string;
  /** transpile: the folder to write. */
  out?: string;
  /** check: scenario files or built-in scenario names (repeatable). */
  scenarios: string[];
  /**
   * Limits from -W max-memory-size= / max-table-elements= / timeout= (wasmtime's spelling),
   * --max-memory and --timeout; they override the config file's. For check, the time limit
   * replaces every scenario's own.
   */
  limits: LimitsConfig;
  /** --board NAME: a board profile's caps (src/host/limits-boards.ts), under the flags above. */
  board?: string;
  /** --report: after the run, what it used and (with --board) whether it fits. */
  report: boolean;
  /** run and conformance --jspi on|off|auto: JSPI or the blocking bridge (src/core/jspi.ts); absent: auto. */
  jspi?: JspiMode;
  config?: string;
  /** host::guest pairs from --dir. */
  dirs: { host: string; guest: string }[];
  env: Record<string, string>;
  /** Arguments after `--`, passed to the guest. */
  guestArgs: string[];
  quiet: boolean;
  /** Models from --nn-graph / -S nn-graph=ENCODING::PATH (wasmtime's flag), granted to the guest. */
  nnGraphs: string[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { command: 'help', dirs: [], env: {}, guestArgs: [], quiet: false, scenarios: [], nnGraphs: [], limits: {}, report: false };
  const limits: Record<string, unknown> = {};
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
    } else if (a === '--nn-graph') out.nnGraphs.push(value());
    else if (a.startsWith('--nn-graph=')) out.nnGraphs.push(a.slice('--nn-graph='.length));
    else if (a === '-S') {
      const v = value();
      if (!v.startsWith('nn-graph=')) throw new UsageError(`-S supports nn-graph=ENCODING::PATH, got "${v}"`);
      out.nnGraphs.push(v.slice('nn-graph='.length));
    } else if (a === '--quiet' || a === '-q') out.quiet = true;
    else if (a === '--interface') out.interface = value();
    else if (a.startsWith('--interface=')) out.interface = a.slice('--interface='.length);
    else if (a === '--json') out.json = value();
    else if (a.startsWith('--json=')) out.json = a.slice('--json='.length);
    else if (a === '--host' || a.startsWith('--host=')) out.host = a === '--host' ? value() : a.slice('--host='.length);
    else if (a === '--trap-status' || a.startsWith('--trap-status=')) out.trapStatuses = statuses(a === '--trap-status' ? value() : a.slice('--trap-status='.length));
    else if (a === '--jobs' || a.startsWith('--jobs=')) out.jobs = count(a === '--jobs' ? value() : a.slice('--jobs='.length), '--jobs');
    else if (a === '--fixture' || a.startsWith('--fixture=')) out.fixture = a === '--fixture' ? value() : a.slice('--fixture='.length);
    else if (a === '--out' || a === '-o') out.out = value();
    else if (a.startsWith('--out=')) out.out = a.slice('--out='.length);
    else if (a === '--scenario' || a === '-s') out.scenarios.push(value());
    else if (a.startsWith('--scenario=')) out.scenarios.push(a.slice('--scenario='.length));
    else if (a === '--timeout' || a.startsWith('--timeout=')) limits.timeoutMs = duration(a === '--timeout' ? value() : a.slice('--timeout='.length), '--timeout');
    else if (a === '--max-memory' || a.startsWith('--max-memory=')) limits.maxMemoryBytes = size(a === '--max-memory' ? value() : a.slice('--max-memory='.length), '--max-memory');
    else if (a === '--board' || a.startsWith('--board=')) {
      const name = a === '--board' ? value() : a.slice('--board='.length);
      if (!BOARDS.some((b) => b.name === name)) throw new UsageError(`--board: unknown board "${name}" (boards: ${BOARDS.map((b) => b.name).join(', ')})`);
      out.board = name;
    }
    else if (a === '--report') out.report = true;
    else if (a === '--jspi' || a.startsWith('--jspi=')) out.jspi = jspiMode(a === '--jspi' ? value() : a.slice('--jspi='.length));
    else if (a === '--for' || a.startsWith('--for=')) out.forMs = duration(a === '--for' ? value() : a.slice('--for='.length), '--for');
    else if (a === '--status-every' || a.startsWith('--status-every=')) {
      out.statusEveryMs = duration(a === '--status-every' ? value() : a.slice('--status-every='.length), '--status-every');
    }
    else if (a === '-W') wasmtimeOption(value(), limits);
    else if (a.startsWith('-W') && a.length > 2) wasmtimeOption(a.slice(2), limits);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (see wasi-edge --help)`);
    else positional.push(a);
  }
  try {
    out.limits = parseLimits(limits, 'limits');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const flag = LIMIT_FLAGS[e.field] ?? e.field;
    throw new UsageError(`${flag} should be ${LIMIT_RANGES[e.field] ?? e.expected}`);
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
  if (command === 'conformance') {
    if (out.host !== undefined) {
      try {
        splitTemplate(out.host);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    if (rest.length) throw new UsageError("usage: wasi-edge conformance [--interface NAME] [--json FILE] [--host 'COMMAND {component} {fixture}' [--trap-status N,…] [--jobs N]]");
    return { ...out, command: 'conformance' };
  }
  if (command === 'check') {
    if (rest.length !== 1) throw new UsageError('usage: wasi-edge check <guest.wasm> [--scenario FILE|NAME]... [--timeout DURATION] [-- args]');
    return { ...out, command: 'check', component: rest[0]! };
  }
  if (command === 'cache') {
    if (rest.length === 0) return { ...out, command: 'cache' };
    if (rest.length === 1 && rest[0] === 'clean') return { ...out, command: 'cache-clean' };
    throw new UsageError('usage: wasi-edge cache [clean]');
  }
  if (command === 'transpile') {
    if (rest.length !== 1 || !out.out) throw new UsageError('usage: wasi-edge transpile <component.wasm> --out DIR');
    return { ...out, command: 'transpile', component: rest[0]! };
  }
  if (command === 'serve') {
    if (rest.length !== 1) throw new UsageError('usage: wasi-edge serve <device.json> [--for DURATION] [--status-every DURATION] [--quiet]');
    return { ...out, command: 'serve', device: rest[0]! };
  }
  if (command === 'help') return out;
  throw new UsageError(`unknown command "${command}" (commands: run, devices, conformance, check, transpile, serve, cache; see wasi-edge --help)`);
}

const LIMIT_FLAGS: Record<string, string> = {
  'limits.maxMemoryBytes': '--max-memory (-W max-memory-size)',
  'limits.maxTableElements': '-W max-table-elements',
  'limits.timeoutMs': '--timeout (-W timeout)',
};
const LIMIT_RANGES: Record<string, string> = {
  'limits.maxMemoryBytes': 'a whole number of bytes from 64KiB (one page) to 4GiB',
  'limits.maxTableElements': 'a number of elements below 2^32',
  'limits.timeoutMs': 'from 1ms to 24 days',
};

function statuses(text: string): number[] {
  const list = text.split(',').map((s) => s.trim());
  if (list.some((s) => !/^\d{1,3}$/.test(s) || Number(s) > 255 || s === '0' || s === '1')) {
    throw new UsageError(`--trap-status takes exit statuses other than 0 and 1, separated by commas (2,134), got "${text}"`);
  }
  return list.map(Number);
}

function count(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 64) throw new UsageError(`${flag} takes a number from 1 to 64, got "${text}"`);
  return Number(text);
}

function size(text: string, flag: string): number {
  const n = parseSize(text);
  if (n === undefined) throw new UsageError(`${flag} takes a size in bytes or with a unit (67108864, 64MiB, 64M, 1GiB), got "${text}"`);
  return n;
}

function duration(text: string, flag: string): number {
  const n = parseDuration(text);
  if (n === undefined || n <= 0) throw new UsageError(`${flag} takes a duration (2s, 500ms, 1m; a bare number is seconds), got "${text}"`);
  return n;
}

/** `-W name=value`: the limits wasmtime spells this way. */
function wasmtimeOption(spec: string, limits: Record<string, unknown>): void {
  const [name, ...rest] = spec.split('=');
  const v = rest.join('=');
  if (name === 'max-memory-size' && v) limits.maxMemoryBytes = size(v, '-W max-memory-size');
  else if (name === 'max-table-elements' && v) {
    if (!/^\d+$/.test(v)) throw new UsageError(`-W max-table-elements takes a number of elements, got "${v}"`);
    limits.maxTableElements = Number(v);
  } else if (name === 'timeout' && v) limits.timeoutMs = duration(v, '-W timeout');
  else throw new UsageError(`-W supports max-memory-size=BYTES, max-table-elements=N and timeout=DURATION, got "${spec}"`);
}

function parseDir(spec: string): { host: string; guest: string } {
  const i = spec.indexOf('::');
  const host = i >= 0 ? spec.slice(0, i) : spec;
  const guest = i >= 0 ? spec.slice(i + 2) : spec;
  if (!host || !guest) throw new UsageError(`--dir takes HOST::GUEST, got "${spec}"`);
  return { host, guest: guest.startsWith('/') ? guest : `/${guest}` };
}

const S = LIMIT_STATUS;

export const HELP = `wasi-edge — run WebAssembly components against edge-device WASI interfaces
(wasi:sensor, wasi:buffer-pool, wasi:i2c, wasi:spi, wasi:nn, wasi:vision) from Node.

Usage:
  wasi-edge run <component.wasm> [--config edge.json] [--dir HOST::GUEST] [--env K=V] [-- args...]
  wasi-edge devices [--config edge.json]      what a guest would see with this configuration
  Options of run and devices: --nn-graph ENCODING::PATH (or -S nn-graph=ENCODING::PATH, as in wasmtime)
                                              adds a model for wasi:nn load-by-name: a directory holding
                                              model.onnx is named after the directory, a file after its name
  Limits of run and check (as in wasmtime; they override the config's \`limits\`; none by default):
    -W max-memory-size=SIZE, --max-memory SIZE
                                              cap each linear memory of the guest (67108864, 64MiB, 64M,
                                              64MB = 10^6 bytes): beyond it memory.grow fails, malloc
                                              returns NULL
    -W max-table-elements=N                   cap each table of the guest
    -W timeout=DURATION, --timeout DURATION   stop the guest after this long (2s, 500ms, 1m; a bare
                                              number is seconds), even inside a wasm loop: the guest
                                              and its host then run in a worker thread
    --board NAME                              a real target's app RAM as the memory cap: ${BOARDS.map((b) => b.name).join(', ')}
                                              (the flags above win over it)
    --report                                  run only: after the run, on stderr, the component's and its
                                              code's size, its peak linear memory and tables, this
                                              host's memory, and with --board whether the app fits
    --jspi on|off|auto                        run, conformance: waits (pool pollables, ONNX Runtime Web) suspend
                                              the guest with JSPI instead of blocking the thread; auto
                                              (default) where the runtime has it (Node 24+, Deno, Bun)
  wasi-edge conformance [--interface NAME] [--json FILE]
                                              run the host conformance suite (conformance/) against this host
    --host 'COMMAND … {component} … {fixture} …'
                                              … or against any host, one process per case: {component} is
                                              the component, {fixture} a case file (fixture and invocation,
                                              conformance/README.md), {args} the guest's arguments; 0 and 1
                                              are the guest's statuses, any other is a trap unless
    --trap-status N,…                         names the statuses that are (others: the host failed)
    --jobs N                                  cases run at once with --host (default 1)
  wasi-edge run <component.wasm> --fixture CASE.json
                                              run one case file as the host under test (what
                                              --host 'wasi-edge run {component} --fixture {fixture}' does)
  wasi-edge check <guest.wasm> [--scenario FILE|NAME]... [--timeout DURATION] [-- args...]
                                              run a component against scripted scenarios (a NACK, a camera
                                              unplugged, a slow sensor, a model that fails to load, a full
                                              pool, a memory, table or time limit; or your own scenario
                                              files) and report what it did
  wasi-edge transpile <component.wasm> --out DIR
                                              transpile for a browser: DIR gets component.js, its core
                                              modules and manifest.json, which the browser build's
                                              runComponent(DIR) loads (docs/browser.md)
  wasi-edge serve <device.json> [--for DURATION] [--status-every DURATION] [--quiet]
                                              run a device: several apps, each in a worker of its own with
                                              its own grants and limits, over cameras and buses the device
                                              owns once; an app that traps, hangs or hits a limit is
                                              restarted with backoff (docs/device.md). One JSON line per
                                              change of an app's state on stdout; the apps' output on
                                              stderr, each line prefixed with [app] (--quiet drops it).
                                              Stops at --for, SIGINT or SIGTERM, or when every app exited 0
  wasi-edge cache [clean]                     where transpiled components are cached, and how much;
                                              \`clean\` removes the cached entries (they are remade on the
                                              next run). The folder is $WASI_EDGE_CACHE_DIR, else
                                              $XDG_CACHE_HOME/wasi-edge-host, else ~/.cache/wasi-edge-host
                                              (the 128 most recently used components are kept)
  wasi-edge --help | --version

Without --config the embedded default is used: simulated devices only, no hardware needed.

Exit status of run: the guest's own (0 ok, 1 when wasi:cli/run returns an error or it exits
non-zero), 2 when the guest traps or can never make progress, 3 when the component could not be
started (not a component, imports this host does not provide, a bad config), ${S['max-memory-size']} when it ended
after memory.grow failed at max-memory-size (or its memory starts above it), ${S['max-table-elements']} the same for
max-table-elements, ${S.timeout} when it was stopped at the timeout, 64 for a command
line that is not understood. WASI_EDGE_DEBUG=1 adds stack traces and device details to errors.
Exit status of conformance: 0 when every case passed, 1 otherwise. Of check: 0 when the guest exited
cleanly or returned an error in every scenario, 1 when it trapped or hung in any, 3 when it could not
start in any scenario (docs/conformance.md).`;

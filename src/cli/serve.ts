/**
 * `wasi-edge serve device.json`: runs a device (src/host/device/) until --for is up, SIGINT or
 * SIGTERM comes, or every app has exited 0. Each change of an app's state is one JSON line on
 * stdout (and, with --status-every, every app's state at that interval), so that a supervisor or
 * a log shipper reads it as it is; the apps' own output goes to stderr, line by line, each line
 * prefixed with the app's name.
 */
import { createDevice, type AppState } from '../index.js';
import type { OutputSink } from '../core/guest-exit.js';
import { loadDeviceConfigFile } from '../platform/node/device-config-file.js';
import type { CliArgs } from './args.js';

/** Cuts an app's output into lines and writes each with its prefix (a partial line waits for its end). */
function prefixed(app: string, write: (s: string) => void): OutputSink {
  let pending = '';
  const decoder = new TextDecoder();
  return (chunk) => {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) write(`[${app}] ${line}\n`);
  };
}

export async function serve(args: CliArgs): Promise<number> {
  const config = loadDeviceConfigFile(args.device!);
  const print = (s: AppState) => process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...s }) + '\n');
  const sinks = new Map<string, OutputSink>();
  const output = (app: string): OutputSink => {
    if (args.quiet) return () => undefined;
    let sink = sinks.get(app);
    if (!sink) sinks.set(app, (sink = prefixed(app, (s) => process.stderr.write(s))));
    return sink;
  };
  const device = createDevice(config, { onState: print, stdout: output, stderr: output });
  const timers: ReturnType<typeof setTimeout>[] = [];
  const stop = () => void device.stop();
  if (args.forMs !== undefined) timers.push(setTimeout(stop, args.forMs));
  if (args.statusEveryMs !== undefined) timers.push(setInterval(() => device.states().forEach(print), args.statusEveryMs));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await device.finished;
  await device.stop();
  for (const t of timers) clearTimeout(t);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return 0;
}

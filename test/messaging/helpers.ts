/**
 * Running the messaging guests: messaging_send (a command that runs the steps given as arguments)
 * and messaging_handler (a reactor whose incoming-handler the test drives through the host's
 * MessagingService), with their JSON output lines.
 */
import { createHost, instantiateComponent, loadComponent, type EdgeHost } from '../../src/index.js';
import type { EdgeConfigInput } from '../../src/host/config.js';
import type { ComponentExports } from '../../src/host/platform-port.js';
import type { MessagingService } from '../../src/core/services.js';
import { componentPath, runGuest, type GuestRun } from '../helpers/run-guest.js';

export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export async function runSteps(config: EdgeConfigInput, ...steps: string[]): Promise<GuestRun & { lines: Record<string, unknown>[] }> {
  const run = await runGuest('messaging_send', { ...config, wasi: { ...config.wasi, args: ['messaging_send', ...steps] } });
  return { ...run, lines: jsonLines(run.stdout) };
}

export interface HandlerGuest {
  host: EdgeHost;
  exports: ComponentExports;
  messaging: MessagingService;
  /** Lines the handler printed so far (taken: each call returns only the new ones). */
  take(): Record<string, unknown>[];
  dispose(): void;
}

export async function openHandler(config: EdgeConfigInput): Promise<HandlerGuest> {
  const out: Uint8Array[] = [];
  const component = await loadComponent(componentPath('messaging_handler'));
  const host = createHost(config, { stdio: { stdout: (c) => out.push(c), stderr: (c) => out.push(c) } });
  const exports = await instantiateComponent(component, host);
  return {
    host,
    exports,
    messaging: host.services.messaging!,
    take() {
      const text = Buffer.concat(out.splice(0)).toString('utf8');
      return jsonLines(text);
    },
    dispose: () => host.dispose(),
  };
}

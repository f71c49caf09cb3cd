/**
 * JSPI (WebAssembly JavaScript Promise Integration): a wasm import wrapped in
 * `WebAssembly.Suspending` may return a Promise, and the guest's stack is suspended until it
 * settles, while the JavaScript event loop keeps running; the export that led there, wrapped in
 * `WebAssembly.promising`, returns a Promise. Node 24 on, Deno, Bun and Chromium have it; Node 20
 * and 22 do not. With it, an import that waits (a pollable's `block`, an ONNX Runtime Web call)
 * awaits instead of blocking the thread in `Atomics.wait`.
 *
 * `mode`: 'on' (refuse to run where JSPI is missing), 'off' (the blocking bridge), 'auto' (JSPI
 * where the runtime has it).
 */
export type JspiMode = 'on' | 'off' | 'auto';

export const JSPI_MODES: readonly JspiMode[] = ['on', 'off', 'auto'];

interface JspiWebAssembly {
  Suspending?: unknown;
  promising?: unknown;
}

/** Whether this runtime has JSPI (both halves of the API, as shipped; no flag is looked for). */
export function jspiAvailable(): boolean {
  const wasm = WebAssembly as unknown as JspiWebAssembly;
  return typeof wasm.Suspending === 'function' && typeof wasm.promising === 'function';
}

/** `jspi: 'on'` where the runtime has no JSPI. */
export class JspiUnavailableError extends Error {
  constructor(runtime: string) {
    super(
      `JSPI was asked for (jspi: 'on', --jspi on) but ${runtime} has no WebAssembly.Suspending / WebAssembly.promising ` +
        '(JSPI ships in Node 24+, Deno, Bun and Chromium); use --jspi auto or off to block in a worker bridge instead',
    );
    this.name = 'JspiUnavailableError';
  }
}

/** The runtime's name and version, for messages. */
export function runtimeName(): string {
  const g = globalThis as { Deno?: { version?: { deno?: string } }; Bun?: { version?: string }; process?: { versions?: { node?: string } }; navigator?: { userAgent?: string } };
  if (g.Deno?.version?.deno) return `Deno ${g.Deno.version.deno}`;
  if (g.Bun?.version) return `Bun ${g.Bun.version}`;
  if (g.process?.versions?.node) return `Node ${g.process.versions.node}`;
  return g.navigator?.userAgent ?? 'this runtime';
}

/** Whether a run in `mode` uses JSPI here; throws JspiUnavailableError for 'on' without it. */
export function useJspi(mode: JspiMode = 'auto'): boolean {
  if (mode === 'off') return false;
  const available = jspiAvailable();
  if (mode === 'on' && !available) throw new JspiUnavailableError(runtimeName());
  return available;
}

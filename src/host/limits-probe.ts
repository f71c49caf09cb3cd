/**
 * After a run: did the guest hit a memory or table cap, and how large did its memories and tables
 * get? The core modules were compiled with probes (limits-wasm.ts: exported globals counting
 * refused grows and the largest size asked for); the platform's loader hands each core instance's
 * exports here as jco instantiates them, and the runner asks once the guest has ended.
 */
import type { ProbeExport } from './limits-wasm.js';

export interface Refusals {
  /** Largest linear-memory size (pages) a refused `memory.grow` asked for, beyond the cap. */
  memoryPages?: number;
  /** Largest table size (elements) a refused `table.grow` asked for, beyond the cap. */
  tableElements?: number;
}

export class LimitProbe {
  private readonly instances: { exports: WebAssembly.Exports; probes: readonly ProbeExport[] }[] = [];

  /** One core instance, with the probes its module carries (none when it was not capped). */
  record(exports: WebAssembly.Exports, probes: readonly ProbeExport[] = []): void {
    this.instances.push({ exports, probes });
  }

  /** The largest exported memory (bytes) and table (elements) of the instances now. */
  usage(): { memoryBytes: number; tableElements: number } {
    let memoryBytes = 0;
    let tableElements = 0;
    for (const { exports } of this.instances) {
      for (const v of Object.values(exports)) {
        if (v instanceof WebAssembly.Memory) memoryBytes = Math.max(memoryBytes, v.buffer.byteLength);
        else if (v instanceof WebAssembly.Table) tableElements = Math.max(tableElements, v.length);
      }
    }
    return { memoryBytes, tableElements };
  }

  refusals(): Refusals {
    const out: Refusals = {};
    for (const { exports, probes } of this.instances) {
      for (const p of probes) {
        const refused = globalValue(exports, p.refused);
        if (!refused) continue;
        // Only a grow beyond the cap counts: one the engine refused for another reason (the host
        // itself out of memory) is not this limit's doing.
        const asked = Number(globalValue(exports, p.asked));
        if (asked <= p.cap) continue;
        if (p.kind === 'memory') out.memoryPages = Math.max(out.memoryPages ?? 0, asked);
        else out.tableElements = Math.max(out.tableElements ?? 0, asked);
      }
    }
    return out;
  }
}

function globalValue(exports: WebAssembly.Exports, name: string): number | bigint {
  const g = exports[name];
  if (!(g instanceof WebAssembly.Global)) throw new Error(`host bug: the limit probe ${name} is not an exported global`);
  return g.value as number | bigint;
}

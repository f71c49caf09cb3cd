/**
 * Board profiles (`--board NAME`): real targets with their memory from the datasheet, applied as
 * the memory cap of `limits`, and the verdict of `--report` on whether an app fits. The cap is
 * the RAM an application's heap can live in on that board (a microcontroller runtime such as WAMR
 * places the linear memory there); the runtime's own needs are not subtracted, so "fits" is a
 * necessary condition, not a sufficient one. On a board that runs this host itself (Linux), the
 * host's own memory counts too.
 */
import type { LimitsConfig } from './limits.js';
import { formatSize } from './limits.js';
import { PAGE_BYTES } from './limits-wasm.js';
import type { RunReport } from './run-result.js';

export interface Board {
  name: string;
  /** What it is and its memory, as its datasheet gives it. */
  description: string;
  /** The RAM an app's linear memory can use: the cap. */
  appRamBytes: number;
  /** Program flash the code must fit in, where the board has one of its own. */
  flashBytes?: number;
  /** The board runs this host (Node on Linux): the host's resident memory counts against `ramBytes`. */
  runsHost?: { ramBytes: number };
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const BOARDS: readonly Board[] = [
  {
    name: 'esp32-wrover',
    description: 'Espressif ESP32-WROVER-E: 520 KB SRAM + 8 MB PSRAM, 4 MB flash (the smallest variant); the app heap in PSRAM',
    appRamBytes: 8 * MiB,
    flashBytes: 4 * MiB,
  },
  {
    name: 'stm32f4',
    description: 'ST STM32F407VG: 192 KB SRAM (112 + 16 + 64 KB CCM), 1 MB flash',
    appRamBytes: 192 * KiB,
    flashBytes: 1 * MiB,
  },
  {
    name: 'imxrt1170',
    description: 'NXP i.MX RT1170: 2 MB on-chip SRAM (TCM and OCRAM); code in external flash',
    appRamBytes: 2 * MiB,
  },
  {
    name: 'rpi-zero-2w',
    description: 'Raspberry Pi Zero 2 W: 512 MB LPDDR2 SDRAM, shared by Linux, this host and the app',
    appRamBytes: 512 * MiB,
    runsHost: { ramBytes: 512 * MiB },
  },
];

export class BoardError extends Error {
  override name = 'BoardError';
}

export function board(name: string): Board {
  const b = BOARDS.find((x) => x.name === name);
  if (!b) throw new BoardError(`unknown board "${name}" (boards: ${BOARDS.map((x) => x.name).join(', ')})`);
  return b;
}

/** The caps a board imposes: its app RAM, in whole pages. */
export function boardLimits(b: Board): LimitsConfig {
  return { maxMemoryBytes: Math.floor(b.appRamBytes / PAGE_BYTES) * PAGE_BYTES };
}

/** Whether the measured run fits the board, and if not, what does not. */
export function fitsBoard(b: Board, r: RunReport): { fits: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (r.memoryNeededBytes > b.appRamBytes) reasons.push(`linear memory ${formatSize(r.memoryNeededBytes)} needed > ${formatSize(b.appRamBytes)} of app RAM`);
  if (b.flashBytes !== undefined && r.codeBytes > b.flashBytes) reasons.push(`code ${formatSize(r.codeBytes)} > ${formatSize(b.flashBytes)} of flash`);
  if (b.runsHost && r.hostPeakRssBytes > b.runsHost.ramBytes) {
    reasons.push(`this host's resident memory ${formatSize(r.hostPeakRssBytes)} > ${formatSize(b.runsHost.ramBytes)} of RAM`);
  }
  return { fits: reasons.length === 0, reasons };
}

/**
 * A stand-in for the kernel's spidev under `LinuxSpiDevice` (its `SpidevLike` seam): each
 * `transferSync` message is one chip-select assertion over a simulated chip, zero-length transfers
 * carry their delay, and, like i.MX's spi-imx, the controller has no LSB-first mode (EINVAL). So
 * the Linux backend's own logic (message building, results, limits) runs the SpiBackend contract on
 * every `npm test`; the real kernel runs it in the QEMU suite.
 */
import type { SpidevLike, SpidevTransfer } from '../../src/spi/linux.js';
import type { SpiChip } from '../../src/spi/devices/chip.js';
import type { Clock } from '../../src/spi/clock.js';

const errno = (code: string, what: string) => Object.assign(new Error(`${code}, ${what}`), { code });

export function spidevStandIn(chip: SpiChip, clock: Clock): SpidevLike {
  let open = true;
  return {
    setOptionsSync(o) {
      if (!open) throw errno('EBADF', 'bad file descriptor');
      if (o.lsbFirst) throw errno('EINVAL', 'invalid argument');
    },
    transferSync(message: SpidevTransfer[]) {
      if (!open) throw errno('EBADF', 'bad file descriptor');
      chip.select();
      try {
        for (const t of message) {
          for (let i = 0; i < t.byteLength; i++) {
            const miso = chip.exchange(t.sendBuffer?.[i] ?? 0);
            if (t.receiveBuffer) t.receiveBuffer[i] = miso;
          }
          if (t.microSecondDelay) clock.sleep(t.microSecondDelay / 1000);
        }
      } finally {
        chip.deselect();
      }
    },
    closeSync() {
      open = false;
    },
  };
}

/**
 * Runs inside the QEMU guests: the Bus and SpiBackend contract suites (test/contracts/) against
 * the Linux backends on the guest's real kernel, and the SensorDevice suite against the V4L2
 * backend on vivid (x86-v4l2), printing one `CONTRACT {json}` line per property
 * and `CONTRACTS-DONE` at the end (run.mjs judges them). run.mjs bundles this file on the host
 * (esbuild) into .work/contracts/contracts.mjs with every import of src/ pointing at the
 * checkout's dist/ — the code the rest of the hardware suite runs — and no test framework.
 *   node test/hardware/.work/contracts/contracts.mjs x86|arm|x86-v4l2
 */
import { existsSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sleepMs } from '../../src/core/device-clock.js';
import { LinuxBus } from '../../src/i2c/linux.js';
import { LinuxSpiDevice } from '../../src/spi/linux.js';
import { runContract, type Outcome } from '../contracts/contract.js';
import { busContract, type BusUnderTest } from '../contracts/i2c-bus.contract.js';
import { spiContract, type SpiUnderTest } from '../contracts/spi-backend.contract.js';
import { sensorDeviceContract } from '../contracts/sensor-device.contract.js';
import { sensorDeviceSubject } from '../contracts/sensor-device-under-test.js';
import { parseSensorConfig, type V4l2DeviceConfig } from '../../src/sensor/config.js';
import { openV4l2Device } from '../../src/sensor/devices/v4l2/open.js';

/**
 * vivid's capture node, 640x360 gray at 30 fps (one of its webcam sizes, converted from one of its
 * formats, whichever comes first). Unplugging is unbinding the platform device from its driver:
 * the node is unregistered and every call on an open file answers ENODEV, as a USB camera pulled out.
 */
function vividSubject() {
  const VIVID = '/sys/bus/platform/drivers/vivid';
  const entry = parseSensorConfig({ devices: { vivid: { kind: 'v4l2', device: '/dev/video0', width: 640, height: 360, pixelFormat: 'gray', fps: [30, 1] } } }, 'sensor', process.cwd())
    .devices.vivid as V4l2DeviceConfig;
  return sensorDeviceSubject({
    label: 'V4l2Device on /dev/video0 (vivid, webcam input; 2 + 2 driver buffers)',
    open: (env) => openV4l2Device('vivid', entry, { width: 640, height: 360, strideBytes: 0, pixelFormat: 'gray' }, env),
    clock: 'real',
    driverQueue: 4,
    unplug: () => writeFileSync(`${VIVID}/unbind`, 'vivid.0'),
    replug: () => {
      writeFileSync(`${VIVID}/bind`, 'vivid.0');
      if (!existsSync('/dev/video0')) throw new Error('/dev/video0 did not come back after the rebind');
    },
  });
}

/** Both boards' adapters are i2c-0; nothing answers at 0x30 on either. */
function linuxBus(label: string, eeprom: Omit<BusUnderTest, 'bus' | 'absent' | 'wait'>) {
  return {
    label,
    make: (): BusUnderTest => ({ bus: new LinuxBus({ device: '/dev/i2c-0' }), absent: 0x30, wait: sleepMs, ...eeprom }),
    release: (t: BusUnderTest) => t.bus.close(),
  };
}

const boards: Record<string, () => Promise<Outcome[]>> = {
  // q35's ICH9 SMBus (i2c-i801, SMBus-only) and the SPD EEPROM at 0x50: 256 bytes, 1-byte word
  // addresses, writable under QEMU (zero-filled at boot).
  x86: () =>
    runContract(busContract, linuxBus('LinuxBus on /dev/i2c-0 (i801 SMBus, SPD EEPROM at 0x50)', {
      eeprom: 0x50,
      addressBytes: 1,
      writable: true,
      unreliableBlockTail: "QEMU 7.2's ICH9 model garbles the last byte of an SMBus I2C-block read (docs/hardware-tests.md, Quirks)",
    })),
  // sabrelite's I2C1 (i2c-imx, full I2C) with an 8 KiB at24c at 0x50 (2-byte word addresses), and
  // ECSPI1 with the board's SST25VF016B flash bound to spidev.
  arm: async () => [
    ...(await runContract(busContract, linuxBus('LinuxBus on /dev/i2c-0 (i.MX I2C1, at24c at 0x50)', {
      eeprom: 0x50,
      addressBytes: 2,
      writable: true,
      noNack: "QEMU 7.2's i.MX I2C model never signals an address NACK: i2c-imx times out, ETIMEDOUT, which is no NACK (docs/hardware-tests.md, Quirks)",
    }))),
    ...(await runContract(spiContract, {
      label: 'LinuxSpiDevice on /dev/spidev0.0 (i.MX ECSPI1, SST25VF016B flash)',
      make(): SpiUnderTest {
        const backend = new LinuxSpiDevice({ device: '/dev/spidev0.0' });
        return {
          backend,
          settings: { frequency: 1_000_000, mode: 0, lsbFirst: false },
          // RDID: the JEDEC ID follows the command byte.
          probe: { tx: [0x9f, 0, 0, 0], rx: [null, 0xbf, 0x25, 0x41], command: 1 },
          maxMessageBytes: backend.maxMessageBytes,
          now: () => performance.now(),
        };
      },
      release: (t) => t.backend.close(),
    })),
  ],
};

boards['x86-v4l2'] = () => runContract(sensorDeviceContract, vividSubject());

export async function runHardwareContracts(board: string): Promise<void> {
  const run = boards[board];
  if (!run) throw new Error(`no contract subjects for board ${board}`);
  const outcomes = await run();
  console.log(`CONTRACTS-DONE ${outcomes.length}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runHardwareContracts(process.argv[2] ?? '');

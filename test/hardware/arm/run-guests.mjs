// Runs inside the ARM VM: the hardware-test components in ONE node process through the
// library's API (runComponent, what `wasi-edge run` calls), because under software emulation of
// an ARM CPU each node start + import of the library costs tens of seconds; x86 covers the CLI.
// Each run is framed by the markers run.mjs parses from the serial console.
import { loadConfigFile } from '../../../dist/index.js';
import { runComponent } from '../../../dist/index.js';

const guests = [
  ['i2c', 'hw-tmp105', 'test/hardware/arm/config.json'],
  ['spi', 'hw-spi-flash', 'test/hardware/arm/config.json'],
  // The V4L2 backend on vivid, with x86's configuration (the same node, the same checks).
  ['v4l2', 'hw-v4l2', 'test/hardware/x86/v4l2-config.json'],
];
for (const [name, wasm, config] of guests) {
  console.log(`HW-OUT-BEGIN ${name}`);
  let code;
  try {
    code = (await runComponent(`fixtures/components/${wasm}.wasm`, loadConfigFile(config))).code;
  } catch (e) {
    console.log(`host error: ${e?.stack ?? e}`);
    code = 3;
  }
  console.log(`HW-OUT-END ${name} rc=${code}`);
}

// What the controller itself reports for an address nobody acknowledges (the errno behind the
// guest's `nack` line), straight from the Linux backend.
console.log('HW-OUT-BEGIN nack-errno');
try {
  const { LinuxBus } = await import('../../../dist/i2c/linux.js');
  const bus = new LinuxBus({ device: '/dev/i2c-0' });
  try {
    bus.transfer(0x30, [{ write: Uint8Array.of(0) }, { read: 1 }]);
    console.log('transfer: ok (unexpected)');
  } catch (e) {
    console.log(`transfer: err ${e.code} ${e.errno} ${e.message}`);
  }
  bus.close();
} catch (e) {
  console.log(`host error: ${e?.stack ?? e}`);
}
console.log('HW-OUT-END nack-errno rc=0');

// The Bus and SpiBackend contract suites (test/contracts/) on this board's adapters, bundled by
// run.mjs; in this process too, for the same reason.
console.log('HW-OUT-BEGIN contracts');
let contractsRc = 0;
try {
  const { runHardwareContracts } = await import('../.work/contracts/contracts.mjs');
  await runHardwareContracts('arm');
} catch (e) {
  console.log(`host error: ${e?.stack ?? e}`);
  contractsRc = 1;
}
console.log(`HW-OUT-END contracts rc=${contractsRc}`);

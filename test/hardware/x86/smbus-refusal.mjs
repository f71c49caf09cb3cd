// Runs inside the x86 VM: the Linux backend itself on the i801 adapter, to show what a guest's
// `other` error stands for. i801 has no I2C_FUNC_I2C, so a transfer that is not exactly one SMBus
// protocol must be refused with I2cFailure code "unsupported" and a message that says why (never
// approximated as two transfers with a STOP in between). Prints one JSON line per case.
import { LinuxBus } from '../../../dist/i2c/linux.js';

const bus = new LinuxBus({ device: '/dev/i2c-0' });
console.log(JSON.stringify({ case: 'capabilities', i2c: bus.capabilities.i2c, tenBit: bus.capabilities.tenBit }));
const cases = {
  'write-read-2-byte-register': [{ write: Uint8Array.of(0x00, 0x10) }, { read: 4 }],
  'plain-read': [{ read: 4 }],
  'two-reads': [{ write: Uint8Array.of(0x10) }, { read: 2 }, { read: 2 }],
};
for (const [name, segments] of Object.entries(cases)) {
  try {
    const out = bus.transfer(0x50, segments);
    console.log(JSON.stringify({ case: name, ok: out.map((b) => Buffer.from(b).toString('hex')) }));
  } catch (e) {
    console.log(JSON.stringify({ case: name, code: e.code, errno: e.errno ?? null, message: e.message }));
  }
}
bus.close();

// A Bosch BME280 temperature sensor over wasi:i2c: chip id, calibration, normal mode, and the
// datasheet's integer compensation (section 8.2), in int32 arithmetic as in the C app.
import { openI2c } from 'wasi-edge:host/access@0.1.0';
import { EdgeError, call, drop } from './errors.js';

const CHIP_ID = 0x60;

export class Bme280 {
  /**
   * Opens the bus (wasi-edge:host/access), checks the chip id, reads the temperature calibration
   * and starts normal mode. Throws an EdgeError: `not-found` for an unknown bus, `no-acknowledge`
   * when nothing answers at the address, `not-a-bme280` for another chip.
   * @param {string} busName
   * @param {number} address
   */
  static open(busName, address) {
    const bus = call(`open-i2c(${busName})`, () => openI2c(busName));
    try {
      const sensor = new Bme280(bus, address);
      const [id] = sensor.read(0xd0, 1);
      if (id !== CHIP_ID) throw new EdgeError('chip id', 'not-a-bme280', `0x${(id ?? 0).toString(16)} at 0x${address.toString(16)}`);
      const c = sensor.read(0x88, 6);
      sensor.t1 = c[0] | (c[1] << 8);
      sensor.t2 = ((c[2] | (c[3] << 8)) << 16) >> 16; // int16
      sensor.t3 = ((c[4] | (c[5] << 8)) << 16) >> 16;
      // temperature oversampling x1, pressure off, normal mode
      call('write', () => bus.write(address, new Uint8Array([0xf4, (1 << 5) | 0x03])));
      return sensor;
    } catch (e) {
      drop(bus);
      throw e;
    }
  }

  /**
   * @param {import('wasi:i2c/i2c@0.2.0-draft').I2c} bus
   * @param {number} address
   */
  constructor(bus, address) {
    this.bus = bus;
    this.address = address;
    this.t1 = 0;
    this.t2 = 0;
    this.t3 = 0;
  }

  /**
   * `n` bytes from register `reg` (a write-read: the register, a repeated START, the read).
   * @param {number} reg
   * @param {number} n
   */
  read(reg, n) {
    const got = call('write-read', () => this.bus.writeRead(this.address, new Uint8Array([reg]), BigInt(n)));
    if (got.length !== n) throw new EdgeError('write-read', 'short-read', `${got.length} bytes instead of ${n}`);
    return got;
  }

  /** °C, rounded as the datasheet's integer formula does (0.01 °C), in single precision. */
  temperature() {
    const d = this.read(0xfa, 3);
    const adc = (d[0] << 12) | (d[1] << 4) | (d[2] >> 4);
    const v1 = Math.imul((adc >> 3) - (this.t1 << 1), this.t2) >> 11;
    const x = (adc >> 4) - this.t1;
    const v2 = Math.imul(Math.imul(x, x) >> 12, this.t3) >> 14;
    return Math.fround(Math.fround((Math.imul(v1 + v2, 5) + 128) >> 8) / 100);
  }

  close() {
    drop(this.bus);
  }
}

// A small I2C and SPI example: the temperature from a BME280 on an I2C bus (wasi-edge:host/access
// open-i2c, then wasi:i2c write-read), and the JEDEC ID of an SPI NOR flash (wasi:spi, one
// transaction: the command write and the 3-byte read under one chip select). wasi:spi is the current
// revision (upstream a4797e2): `open` by name; the clock and mode are the host's configuration.
//
// env: I2C_BUS (i2c-sim0), BME280_ADDRESS (0x76), SPI_DEVICE (spi-flash0)
// stdout: one JSON line per step. A WIT error arrives as an EdgeError (../lib/errors.js): it is
// printed as {"error":{"name":"EdgeError","op":…,"code":…,"detail":…}} and the exit status is 1.
import { listI2cBuses } from 'wasi-edge:host/access@0.1.0';
import { open } from 'wasi:spi/spi';
import { Bme280 } from '../lib/bme280.js';
import { command, setting } from '../lib/cli.js';
import { EdgeError, call, drop } from '../lib/errors.js';
import { fixed } from '../lib/format.js';

/** @param {string} name */
function jedecId(name) {
  const flash = call(`open(${name})`, () => open(name));
  try {
    const results = call('transaction', () => flash.transaction([{ tag: 'write', val: new Uint8Array([0x9f]) }, { tag: 'read', val: 3n }]));
    const read = results[1];
    if (read?.tag !== 'read' || read.val.length !== 3) throw new EdgeError('transaction', 'short-read', 'no 3-byte read result');
    return Array.from(read.val, (b) => b.toString(16).padStart(2, '0')).join('');
  } finally {
    drop(flash);
  }
}

function main() {
  const bus = setting(-1, 'I2C_BUS', 'i2c-sim0');
  const address = parseInt(setting(-1, 'BME280_ADDRESS', '0x76')) || 0;
  const spiDevice = setting(-1, 'SPI_DEVICE', 'spi-flash0');
  try {
    console.log(JSON.stringify({ i2c_buses: listI2cBuses() }));
    const bme = Bme280.open(bus, address);
    const celsius = bme.temperature();
    bme.close();
    console.log(JSON.stringify({ i2c: { bus, address, chip: 'bme280', temperature: Number(fixed(celsius, 2)) } }));
    console.log(JSON.stringify({ spi: { device: spiDevice, jedec_id: jedecId(spiDevice) } }));
    return 0;
  } catch (e) {
    if (!(e instanceof EdgeError)) throw e;
    console.log(JSON.stringify({ error: { name: e.name, op: e.op, code: e.code, ...(e.detail === undefined ? {} : { detail: e.detail }) } }));
    return 1;
  }
}

export const run = command('js-i2c-spi', main);

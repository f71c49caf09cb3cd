import { describe, expect, it } from 'vitest';
import { WitError } from '../../src/core/wit-error.js';
import { VirtualClock } from '../../src/spi/clock.js';
import { defaultSpiConfig, parseSpiConfig } from '../../src/spi/config.js';
import { SpiFailure, type SpiBackend } from '../../src/spi/device.js';
import { Mcp3008 } from '../../src/spi/devices/mcp3008.js';
import { SpiNorFlash } from '../../src/spi/devices/spi-nor.js';
import { LinuxSpiDevice, type SpidevLike, type SpidevTransfer } from '../../src/spi/linux.js';
import { createSpiProvider, SpiDeviceHandle } from '../../src/spi/provider.js';
import { SimulatedSpiDevice } from '../../src/spi/simulated.js';

const b = (...x: number[]) => Uint8Array.from(x);

function witErr(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    if (e instanceof WitError) return e.payload;
    throw new Error(`expected a WitError, got ${String(e)}`);
  }
  throw new Error('expected a WitError, but the call returned');
}

function rig(extra: Record<string, unknown> = {}) {
  const clock = new VirtualClock();
  const flash = new SpiNorFlash({ clock, size: 65536 });
  const adc = new Mcp3008({ vref: 3.3, inputs: [1.65, 3.3, 0, 0.825] });
  const flashDev = new SimulatedSpiDevice(flash, { clock });
  const adcDev = new SimulatedSpiDevice(adc, { clock });
  const config = parseSpiConfig({ devices: { flash: { kind: 'custom', device: flashDev, ...extra }, adc: { kind: 'custom', device: adcDev } } }, 'spi');
  const provider = createSpiProvider(config);
  const spi = provider.imports['wasi:spi/spi'] as unknown as SpiImports;
  return { clock, flash, adc, flashDev, adcDev, provider, spi };
}

/** Both revisions' functions: `open` (a4797e2), `get-device-names` and `open-device` (3fe70d6). */
interface SpiImports {
  open(n: string): SpiDeviceHandle;
  getDeviceNames(): string[];
  openDevice(n: string): SpiDeviceHandle;
}

describe('wasi:spi revisions: the current (a4797e2) and the previous (3fe70d6) from one import object', () => {
  it('open and open-device make handles of the same device, with the same refusals', () => {
    const { spi, flashDev } = rig();
    for (const open of [spi.open, spi.openDevice]) {
      const dev = open('flash');
      expect([...dev.transfer(b(0x9f, 0, 0, 0))]).toEqual([0xff, 0xef, 0x40, 0x15]);
      expect((witErr(() => open('nope')) as { tag: string }).tag).toBe('other');
    }
    expect(flashDev.log).toHaveLength(2);
  });

  it("a handle starts with its device's settings from the host config; configure changes only its own", () => {
    const { spi, flashDev } = rig({ frequency: 2_000_000, mode: 3, lsbFirst: true });
    const head = spi.open('flash');
    // LSB first, the chip sees 0xF9 as 0x9F and the reply comes back reversed: EF 40 15 → F7 02 A8.
    expect([...head.transfer(b(0xf9, 0, 0, 0))]).toEqual([0xff, 0xf7, 0x02, 0xa8]);
    expect(flashDev.log.at(-1)!.settings).toEqual({ frequency: 2_000_000, mode: 3, lsbFirst: true });
    const old = spi.openDevice('flash');
    old.configure({ frequency: 1_000_000, mode: 'mode0', lsbFirst: false });
    expect([...old.transfer(b(0x9f, 0, 0, 0))]).toEqual([0xff, 0xef, 0x40, 0x15]);
    expect([...head.transfer(b(0xf9, 0, 0, 0))]).toEqual([0xff, 0xf7, 0x02, 0xa8]);
    expect(flashDev.log.at(-1)!.settings).toEqual({ frequency: 2_000_000, mode: 3, lsbFirst: true });
  });

  it('a mode the chip does not support, set in the host config, reads 0xFF as on the wire', () => {
    const { spi } = rig({ mode: 1 });
    expect([...spi.open('flash').transfer(b(0x9f, 0, 0, 0))]).toEqual([0xff, 0xff, 0xff, 0xff]);
  });

  it('the config refuses settings out of range, by key', () => {
    const dev = (extra: object) => parseSpiConfig({ devices: { f: { kind: 'simulated', chip: 'spi-nor', ...extra } } }, 'spi');
    expect(dev({}).devices.f!.settings).toEqual({ frequency: 1_000_000, mode: 0, lsbFirst: false });
    expect(() => dev({ mode: 4 })).toThrow(/spi\.devices\.f\.mode/);
    expect(() => dev({ frequency: 0 })).toThrow(/spi\.devices\.f\.frequency/);
    expect(() => dev({ frequency: 2 ** 32 })).toThrow(/spi\.devices\.f\.frequency/);
    expect(() => dev({ lsbFirst: 'yes' })).toThrow(/spi\.devices\.f\.lsbFirst/);
  });
});

describe('simulated SPI device', () => {
  it('keeps the last logLimit transactions, oldest first', () => {
    const clock = new VirtualClock();
    const dev = new SimulatedSpiDevice(new SpiNorFlash({ clock, size: 65536 }), { clock, logLimit: 3 });
    for (let i = 0; i < 5; i++) dev.transfer([{ kind: 'write', data: b(0x9f) }, { kind: 'read', length: i + 1 }]);
    expect(dev.log).toHaveLength(3);
    expect(dev.log.map((e) => e.segments.at(-1)!.rx!.length)).toEqual([3, 4, 5]);
  });
});

describe('wasi:spi provider', () => {
  it('reads the JEDEC ID with transaction [write 0x9F, read 3]: chip select held across both', () => {
    const { spi, flashDev } = rig();
    const dev = spi.openDevice('flash');
    const out = dev.transaction([{ tag: 'write', val: b(0x9f) }, { tag: 'read', val: 3n }]);
    expect(out).toEqual([{ tag: 'write' }, { tag: 'read', val: b(0xef, 0x40, 0x15) }]);
    expect(flashDev.log).toHaveLength(1);
    // The same as two separate calls gives nothing: the command ends when CS rises.
    dev.write(b(0x9f));
    expect([...dev.read(3n)]).toEqual([0, 0, 0].map(() => 0xff));
  });

  it('transfer is full duplex; one result per operation in order; delay-ns honoured on the clock', () => {
    const { spi, clock, flash, flashDev } = rig();
    flash.memory.set([10, 20, 30], 0x123);
    const dev = spi.openDevice('flash');
    expect([...dev.transfer(b(0x03, 0x00, 0x01, 0x23, 0, 0, 0))]).toEqual([0xff, 0xff, 0xff, 0xff, 10, 20, 30]);
    const t0 = clock.now();
    const out = dev.transaction([
      { tag: 'transfer', val: b(0x03, 0, 1, 0x23) },
      { tag: 'delay-ns', val: 2_000_000 },
      { tag: 'read', val: 2n },
      { tag: 'write', val: b() },
    ]);
    expect(out.map((r) => r.tag)).toEqual(['transfer', 'delay', 'read', 'write']);
    expect((out[2] as { val: Uint8Array }).val).toEqual(b(10, 20));
    expect(flashDev.log.at(-1)!.releasedAt - t0).toBe(2);
  });

  it('program and erase: WREN, page program wraps in the page, BUSY then done, erase back to FF', () => {
    const { spi, clock, flash } = rig();
    const dev = spi.openDevice('flash');
    dev.write(b(0x06));
    expect(dev.transfer(b(0x05, 0))[1]).toBe(0x02); // WEL
    dev.write(b(0x02, 0, 0, 0xfe, 1, 2, 3));
    expect(dev.transfer(b(0x05, 0))[1]! & 1).toBe(1); // BUSY
    clock.advance(1);
    expect(dev.transfer(b(0x05, 0))[1]).toBe(0); // done, WEL cleared
    expect([flash.memory[0xfe], flash.memory[0xff], flash.memory[0]]).toEqual([1, 2, 3]);
    dev.write(b(0x20, 0, 0, 0)); // no WEL: ignored
    expect(flash.memory[0xfe]).toBe(1);
    dev.write(b(0x06));
    dev.write(b(0x20, 0, 0, 0));
    clock.advance(100);
    expect(flash.memory[0xfe]).toBe(0xff);
  });

  it('MCP3008: single-ended and differential codes from the 3-byte frame; values set from outside', () => {
    const { spi, adc } = rig();
    const dev = spi.openDevice('adc');
    const code = (cfg: number) => {
      const rx = dev.transfer(b(0x01, cfg << 4, 0));
      return ((rx[1]! & 3) << 8) | rx[2]!;
    };
    expect(code(0b1000)).toBe(512); // CH0 = 1.65 V of 3.3
    expect(code(0b1001)).toBe(1023); // CH1 = Vref, clamped
    expect(code(0b1011)).toBe(256); // CH3 = 0.825 V
    expect(code(0b0001)).toBe(1023 - 512 + 1); // CH1 − CH0 = 1.65 V
    expect(code(0b0000)).toBe(0); // CH0 − CH1 negative → 0
    adc.inputs[0] = 0.33;
    expect(code(0b1000)).toBe(102);
  });

  it('configure: each handle keeps its settings; lsb-first reverses bits; a mode the chip lacks reads 0xFF', () => {
    const { spi, flashDev } = rig();
    const a = spi.openDevice('flash');
    const c = spi.openDevice('flash');
    c.configure({ frequency: 10_000_000, mode: 'mode3', lsbFirst: false });
    expect(a.transaction([{ tag: 'write', val: b(0x9f) }, { tag: 'read', val: 1n }])[1]).toEqual({ tag: 'read', val: b(0xef) });
    expect(flashDev.log.at(-1)!.settings.mode).toBe(0);
    expect(c.transaction([{ tag: 'write', val: b(0x9f) }, { tag: 'read', val: 1n }])[1]).toEqual({ tag: 'read', val: b(0xef) });
    expect(flashDev.log.at(-1)!.settings.mode).toBe(3);
    c.configure({ frequency: 10_000_000, mode: 'mode3', lsbFirst: true });
    // The chip sees 0x9F bit-reversed (0xF9, no such command): MISO stays high.
    expect(c.transaction([{ tag: 'write', val: b(0x9f) }, { tag: 'read', val: 1n }])[1]).toEqual({ tag: 'read', val: b(0xff) });
    // Sending the reversed command gives the ID reversed back: 0xEF reversed is 0xF7.
    expect(c.transaction([{ tag: 'write', val: b(0xf9) }, { tag: 'read', val: 1n }])[1]).toEqual({ tag: 'read', val: b(0xf7) });
    c.configure({ frequency: 1_000_000, mode: 'mode1', lsbFirst: false });
    expect(c.transaction([{ tag: 'write', val: b(0x9f) }, { tag: 'read', val: 1n }])[1]).toEqual({ tag: 'read', val: b(0xff) });
  });

  it('every error case: overrun, mode-fault, frame-format, chip-select-fault from the controller; other', () => {
    const { spi, flashDev } = rig({ limits: { maxTransferBytes: 16, maxOperations: 3 } });
    const dev = spi.openDevice('flash');
    for (const kind of ['overrun', 'mode-fault', 'frame-format', 'chip-select-fault'] as const) {
      flashDev.inject({ kind, afterBytes: 1 });
      expect(witErr(() => dev.transfer(b(0x9f, 0, 0)))).toEqual({ tag: kind });
    }
    const other = (f: () => unknown) => (witErr(f) as { tag: string }).tag;
    expect(other(() => dev.read(17n))).toBe('other'); // above the configured limit
    expect(other(() => dev.read(2n ** 32n))).toBe('other');
    expect(other(() => dev.transaction([1, 2, 3, 4].map(() => ({ tag: 'read' as const, val: 1n }))))).toBe('other');
    expect(other(() => dev.configure({ frequency: 0, mode: 'mode0', lsbFirst: false }))).toBe('other');
    expect(other(() => dev.configure({ frequency: 1, mode: 'mode9' as 'mode0', lsbFirst: false }))).toBe('other');
    expect(other(() => spi.openDevice('nope'))).toBe('other');
    const msg = witErr(() => spi.openDevice('nope')) as { val: string };
    expect(msg.val).toMatch(/no SPI device named "nope"/);
  });

  it('chip select is released at once on an error: later operations (and delays) do not run', () => {
    const { spi, flashDev, clock } = rig();
    const dev = spi.openDevice('flash');
    flashDev.inject({ kind: 'overrun', afterBytes: 2 });
    const t0 = clock.now();
    expect(witErr(() => dev.transaction([
      { tag: 'write', val: b(0x9f) },
      { tag: 'read', val: 3n },
      { tag: 'delay-ns', val: 1_000_000_000 },
      { tag: 'write', val: b(1) },
    ]))).toEqual({ tag: 'overrun' });
    const entry = flashDev.log.at(-1)!;
    expect(entry.error).toBe('overrun');
    expect(entry.segments.map((s) => s.kind)).toEqual(['write', 'read']);
    expect(entry.releasedAt).toBe(t0); // the 1 s delay never ran
    expect(dev.transaction([{ tag: 'write', val: b(0x9f) }, { tag: 'read', val: 1n }])).toHaveLength(2); // recovers
  });

  it('grants, handle lifecycle and the default config', () => {
    const p = createSpiProvider(parseSpiConfig({ allow: ['spi-flash0'] }, 'spi'));
    const spi = p.imports['wasi:spi/spi'] as unknown as { getDeviceNames(): string[]; openDevice(n: string): SpiDeviceHandle; SpiDevice: unknown };
    expect(spi.SpiDevice).toBe(SpiDeviceHandle);
    expect(spi.getDeviceNames()).toEqual(['spi-flash0']);
    expect((witErr(() => spi.openDevice('spi-adc0')) as { val: string }).val).toMatch(/not granted/);
    const h = spi.openDevice('spi-flash0');
    expect([...h.transfer(b(0x9f, 0, 0, 0))]).toEqual([0xff, 0xef, 0x40, 0x15]);
    h[Symbol.dispose]();
    h[Symbol.dispose]();
    expect((witErr(() => h.read(1n)) as { tag: string }).tag).toBe('other');
    const h2 = spi.openDevice('spi-flash0');
    p.dispose();
    p.dispose();
    expect((witErr(() => h2.read(1n)) as { tag: string }).tag).toBe('other');
    expect(Object.keys(defaultSpiConfig().devices)).toEqual(['spi-flash0', 'spi-adc0']);
  });

  it('an empty transaction returns [] without selecting the chip', () => {
    const { spi, flashDev } = rig();
    expect(spi.openDevice('flash').transaction([])).toEqual([]);
    expect(flashDev.log).toHaveLength(0);
  });

  it('a backend that throws something else still gives other(message)', () => {
    const bad: SpiBackend = { configure() {}, transfer() { throw new TypeError('boom'); }, close() {} };
    const p = createSpiProvider(parseSpiConfig({ devices: { x: { kind: 'custom', device: bad } } }, 'spi'));
    const spi = p.imports['wasi:spi/spi'] as unknown as { openDevice(n: string): SpiDeviceHandle };
    expect(witErr(() => spi.openDevice('x').read(1n))).toEqual({ tag: 'other', val: 'SPI failure: boom' });
  });
});

describe('Linux spidev backend (spi-device seam)', () => {
  function fake(fail?: string) {
    const messages: SpidevTransfer[][] = [];
    const options: unknown[] = [];
    let closed = 0;
    const dev: SpidevLike = {
      transferSync(m) {
        messages.push(m);
        if (fail) throw Object.assign(new Error(fail), { code: fail });
        for (const t of m) if (t.receiveBuffer) t.receiveBuffer.fill(0x5a);
      },
      setOptionsSync(o) {
        options.push(o);
        if (fail === 'EINVAL') throw Object.assign(new Error('EINVAL, Invalid argument'), { code: 'EINVAL' });
      },
      closeSync: () => void closed++,
    };
    return { dev, messages, options, closed: () => closed };
  }

  it('one message per call; delays become zero-length transfers with µs delays; reads get results', () => {
    const f = fake();
    let opened: number[] = [];
    const s = new LinuxSpiDevice({ device: '/dev/spidev1.2', maxMessageBytes: 4096, open: (bus, d) => ((opened = [bus, d]), f.dev) });
    expect(opened).toEqual([1, 2]);
    const out = s.transfer([
      { kind: 'write', data: b(0x9f) },
      { kind: 'delay', ns: 1500 },
      { kind: 'read', length: 3 },
      { kind: 'transfer', data: b(1, 2) },
      { kind: 'delay', ns: 70_000_000 },
    ]);
    expect(f.messages).toHaveLength(1);
    expect(f.messages[0]!.map((t) => [t.byteLength, t.microSecondDelay ?? 0])).toEqual([
      [1, 0], [0, 2], [3, 0], [2, 0], [0, 65535], [0, 4465],
    ]);
    expect(out.map((o) => [...o])).toEqual([[], [], [0x5a, 0x5a, 0x5a], [0x5a, 0x5a], []]);
  });

  it('refuses a message above bufsiz (per direction) instead of splitting it', () => {
    const f = fake();
    const s = new LinuxSpiDevice({ device: '/dev/spidev0.0', maxMessageBytes: 4096, open: () => f.dev });
    expect(() => s.transfer([{ kind: 'write', data: new Uint8Array(4000) }, { kind: 'read', length: 4000 }])).not.toThrow();
    expect(() => s.transfer([{ kind: 'write', data: new Uint8Array(4000) }, { kind: 'write', data: new Uint8Array(97) }]))
      .toThrow(expect.objectContaining({ code: 'unsupported', message: expect.stringMatching(/bufsiz/) }));
    expect(f.messages).toHaveLength(1);
  });

  it('configure maps to setOptions; kernel errors become other with the errno; close once', () => {
    const f = fake('EINVAL');
    const s = new LinuxSpiDevice({ device: '/dev/spidev0.0', open: () => f.dev });
    expect(() => s.configure({ frequency: 1e6, mode: 3, lsbFirst: true })).toThrow(expect.objectContaining({ code: 'other', message: expect.stringMatching(/EINVAL/) }));
    expect(f.options).toEqual([{ mode: 3, maxSpeedHz: 1e6, lsbFirst: true }]);
    expect(() => s.transfer([{ kind: 'read', length: 1 }])).toThrow(/SPI_IOC_MESSAGE failed: EINVAL/);
    s.close();
    s.close();
    expect(f.closed()).toBe(1);
    expect(() => s.transfer([])).toThrow(SpiFailure);
  });

  it('explains a missing device and a bad path', () => {
    expect(() => new LinuxSpiDevice({ device: '/dev/spidev9.9', open: () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); } }))
      .toThrow(/does not exist/);
    expect(() => new LinuxSpiDevice({ device: '/dev/spi', open: () => fake().dev })).toThrow(/spidevB\.C/);
    // The real spi-device addon: this machine has no /dev/spidev9.9.
    expect(() => new LinuxSpiDevice({ device: '/dev/spidev9.9' })).toThrow(/does not exist|spi-device/);
  });

  it('through the provider a refused (too long) message is other(message) naming the limit', () => {
    const f = fake();
    const p = createSpiProvider(parseSpiConfig({ devices: { d: { kind: 'custom', device: new LinuxSpiDevice({ device: '/dev/spidev0.0', maxMessageBytes: 8, open: () => f.dev }) } } }, 'spi'));
    const spi = p.imports['wasi:spi/spi'] as unknown as { openDevice(n: string): SpiDeviceHandle };
    const e = witErr(() => spi.openDevice('d').read(9n)) as { tag: string; val: string };
    expect(e.tag).toBe('other');
    expect(e.val).toMatch(/per-message limit of 8/);
  });
});

/**
 * How a simulated chip sees the bus: byte by byte, with ACK/NACK, like the hardware. The
 * simulated bus drives these calls; models answer them as their datasheets say.
 */
import type { Clock } from '../clock.js';

export interface I2cDevice {
  /** A short name for logs and `wasi-edge devices` (`bme280`, `at24c32`). */
  readonly chip: string;
  /**
   * START or repeated START addressed to this device, `read` = R/W bit. Return false to leave
   * the address byte unacknowledged (e.g. an EEPROM busy with its write cycle).
   */
  start(read: boolean): boolean;
  /** A data byte from the controller. Return false to NACK it. */
  write(byte: number): boolean;
  /** The controller clocks one byte out of the device. */
  read(): number;
  /** STOP (after success or failure). */
  stop(): void;
  /** One line describing the device state, for `wasi-edge devices`. */
  describe?(): string;
}

export interface DeviceContext {
  clock: Clock;
}

/**
 * The common register-file pattern: the first byte written after START sets a register pointer,
 * later written bytes go to consecutive registers, reads come from the pointer onwards
 * (auto-increment). Subclasses decide what each register does.
 */
export abstract class RegisterDevice implements I2cDevice {
  abstract readonly chip: string;
  protected pointer = 0;
  /** Bytes written since the last START (0 = the next byte is the register pointer). */
  private written = 0;

  start(_read: boolean): boolean {
    this.written = 0;
    this.beginAccess();
    return true;
  }

  write(byte: number): boolean {
    if (this.written++ === 0) {
      if (!this.acceptsPointer(byte)) return false;
      this.pointer = byte;
      return true;
    }
    const ok = this.writeRegister(this.pointer, byte);
    this.pointer = this.nextPointer(this.pointer);
    return ok;
  }

  read(): number {
    const value = this.readRegister(this.pointer) & 0xff;
    this.pointer = this.nextPointer(this.pointer);
    return value;
  }

  stop(): void {
    this.endAccess();
  }

  /** Called at every START: chips latch ("shadow") their output registers here. */
  protected beginAccess(): void {}
  protected endAccess(): void {}
  protected acceptsPointer(_register: number): boolean {
    return true;
  }
  protected nextPointer(register: number): number {
    return (register + 1) & 0xff;
  }
  protected abstract readRegister(register: number): number;
  /** Returns false to NACK (read-only register on chips that say so). */
  protected abstract writeRegister(register: number, value: number): boolean;
}

/**
 * What an SMBus-only adapter (no `I2C_FUNC_I2C`, e.g. Intel i801, i2c-stub) can express of a
 * general I2C transfer. Each SMBus protocol below is, on the wire, exactly one transfer shape;
 * anything else is refused rather than approximated (never a STOP silently inserted between a
 * write and a read, never a long read split into several transactions).
 */
import type { Segment } from './bus.js';

/** The SMBus functionality bits of Linux `I2C_FUNCS` that matter here. */
export interface SmbusFuncs {
  smbusQuick: boolean;
  smbusReceiveByte: boolean;
  smbusSendByte: boolean;
  smbusReadByte: boolean;
  smbusWriteByte: boolean;
  smbusReadWord: boolean;
  smbusWriteWord: boolean;
  smbusReadI2cBlock: boolean;
  smbusWriteI2cBlock: boolean;
}

export const ALL_SMBUS: SmbusFuncs = {
  smbusQuick: true,
  smbusReceiveByte: true,
  smbusSendByte: true,
  smbusReadByte: true,
  smbusWriteByte: true,
  smbusReadWord: true,
  smbusWriteWord: true,
  smbusReadI2cBlock: true,
  smbusWriteI2cBlock: true,
};

/** The largest I2C block an SMBus transfer carries (`I2C_SMBUS_BLOCK_MAX`). */
export const SMBUS_BLOCK_MAX = 32;

export type SmbusOp =
  | { op: 'quick'; read: boolean }
  | { op: 'receiveByte' }
  | { op: 'sendByte'; byte: number }
  | { op: 'writeByte'; cmd: number; byte: number }
  | { op: 'writeWord'; cmd: number; word: number }
  | { op: 'writeI2cBlock'; cmd: number; data: Uint8Array }
  | { op: 'readByte'; cmd: number }
  | { op: 'readWord'; cmd: number }
  | { op: 'readI2cBlock'; cmd: number; length: number };

/** Either the SMBus operation that is the same transfer on the wire, or why there is none. */
export type SmbusPlan = { ok: true; op: SmbusOp } | { ok: false; reason: string };

function refuse(reason: string): SmbusPlan {
  return { ok: false, reason: `SMBus-only adapter: ${reason}` };
}

function need(funcs: SmbusFuncs, key: keyof SmbusFuncs, op: SmbusOp, what: string): SmbusPlan {
  return funcs[key] ? { ok: true, op } : refuse(`${what} needs ${key}, which this adapter lacks`);
}

export function planSmbus(segments: readonly Segment[], funcs: SmbusFuncs): SmbusPlan {
  if (segments.length === 1) {
    const s = segments[0]!;
    if ('read' in s) {
      if (s.read === 0) return need(funcs, 'smbusQuick', { op: 'quick', read: true }, 'a 0-byte read');
      if (s.read === 1) return need(funcs, 'smbusReceiveByte', { op: 'receiveByte' }, 'a 1-byte read');
      return refuse(`a plain ${s.read}-byte read (no register byte first) has no SMBus form; only 1-byte reads do`);
    }
    const d = s.write;
    if (d.length === 0) return need(funcs, 'smbusQuick', { op: 'quick', read: false }, 'a 0-byte write');
    if (d.length === 1) return need(funcs, 'smbusSendByte', { op: 'sendByte', byte: d[0]! }, 'a 1-byte write');
    if (d.length === 2 && funcs.smbusWriteByte) return { ok: true, op: { op: 'writeByte', cmd: d[0]!, byte: d[1]! } };
    if (d.length === 3 && funcs.smbusWriteWord && !funcs.smbusWriteI2cBlock) {
      return { ok: true, op: { op: 'writeWord', cmd: d[0]!, word: d[1]! | (d[2]! << 8) } };
    }
    if (d.length - 1 > SMBUS_BLOCK_MAX) {
      return refuse(`a ${d.length}-byte write exceeds the SMBus block limit (1 command byte + ${SMBUS_BLOCK_MAX})`);
    }
    return need(funcs, 'smbusWriteI2cBlock', { op: 'writeI2cBlock', cmd: d[0]!, data: d.slice(1) }, `a ${d.length}-byte write`);
  }
  if (segments.length === 2) {
    const [w, r] = segments as [Segment, Segment];
    if ('write' in w && 'read' in r) {
      if (w.write.length !== 1) {
        return refuse(`write-read with a ${w.write.length}-byte write: SMBus sends exactly one command byte before a repeated START`);
      }
      const cmd = w.write[0]!;
      if (r.read === 0) return refuse('write-read of 0 bytes has no SMBus form');
      if (r.read === 1 && funcs.smbusReadByte) return { ok: true, op: { op: 'readByte', cmd } };
      if (r.read === 2 && funcs.smbusReadWord && !funcs.smbusReadI2cBlock) return { ok: true, op: { op: 'readWord', cmd } };
      if (r.read > SMBUS_BLOCK_MAX) {
        return refuse(`write-read of ${r.read} bytes exceeds the SMBus I2C-block limit of ${SMBUS_BLOCK_MAX}`);
      }
      return need(funcs, 'smbusReadI2cBlock', { op: 'readI2cBlock', cmd, length: r.read }, `write-read of ${r.read} bytes`);
    }
  }
  const shape = segments.map((s) => ('write' in s ? `write(${s.write.length})` : `read(${s.read})`)).join(', ');
  return refuse(`the transaction [${shape}] needs I2C_FUNC_I2C (combined transfers); SMBus can only express one write, one read of 0-1 bytes, or a 1-byte write followed by a read`);
}

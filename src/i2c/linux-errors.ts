/**
 * Linux I2C errno → normalised `I2cFailureCode`, after the kernel's Documentation/i2c/fault-codes.rst
 * and what drivers actually return. The mapping is a choice (see docs/spec-notes/i2c.md):
 *
 * | errno | meaning in the kernel docs / drivers | kind |
 * |---|---|---|
 * | ENXIO | "no ACK in the address phase" (the documented code) | nack-address |
 * | EREMOTEIO, EIO | NACK from many controllers (bcm2835, DesignWare…) that do not say where; EIO is also any I/O failure | nack-unknown |
 * | EAGAIN | "lost arbitration" | arbitration-loss |
 * | EBUSY | bus busy for too long (SDA/SCL held: a stuck bus) | bus |
 * | EOVERFLOW | receive buffer overflow | overrun |
 * | EOPNOTSUPP | the adapter lacks the function (plain I2C on an SMBus-only adapter) | unsupported |
 * | ETIMEDOUT, EPROTO, EBADMSG, EINVAL, ENODEV, ESHUTDOWN, ENOMEM, … | timeouts, protocol/PEC errors, bad arguments | other |
 */
import { constants } from 'node:os';
import { I2cFailure, type I2cFailureCode } from './bus.js';

const CODE_BY_ERRNO: Readonly<Record<string, I2cFailureCode>> = {
  ENXIO: 'nack-address',
  EREMOTEIO: 'nack-unknown',
  EIO: 'nack-unknown',
  EAGAIN: 'arbitration-loss',
  EBUSY: 'bus',
  EOVERFLOW: 'overrun',
  EOPNOTSUPP: 'unsupported',
  ENOTSUP: 'unsupported',
};

const NAME_BY_ERRNO = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) {
  if (!NAME_BY_ERRNO.has(value)) NAME_BY_ERRNO.set(value, name);
}
// Linux numbers Node's table lacks (it lists only POSIX names).
const LINUX_ONLY: Record<string, number> = { EREMOTEIO: 121, ESHUTDOWN: 108 };
for (const [name, value] of Object.entries(LINUX_ONLY)) if (!NAME_BY_ERRNO.has(value)) NAME_BY_ERRNO.set(value, name);
// ENOTSUP and EOPNOTSUPP share a number on Linux; prefer the name the kernel docs use.
if (constants.errno.EOPNOTSUPP !== undefined) NAME_BY_ERRNO.set(constants.errno.EOPNOTSUPP, 'EOPNOTSUPP');

/** `ENXIO` for 6, -6 or `'ENXIO'`; undefined if unknown. */
export function errnoName(errno: number | string | undefined): string | undefined {
  if (typeof errno === 'string') return errno;
  if (typeof errno !== 'number' || errno === 0) return undefined;
  return NAME_BY_ERRNO.get(Math.abs(errno));
}

export function failureCodeForErrno(errno: string | undefined): I2cFailureCode {
  return (errno && CODE_BY_ERRNO[errno]) || 'other';
}

/**
 * Any error out of fs, koffi or i2c-bus → I2cFailure. Normalises on `code` (i2c-bus native errors
 * carry a positive errno, fs ones a negative one; both carry `code`).
 */
export function i2cFailureFromErrno(e: unknown, what: string): I2cFailure {
  if (e instanceof I2cFailure) return e;
  const err = e as { code?: unknown; errno?: unknown; message?: unknown } | null;
  const code =
    (typeof err?.code === 'string' ? err.code : undefined) ??
    errnoName(typeof err?.errno === 'number' ? err.errno : undefined);
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return new I2cFailure(failureCodeForErrno(code), `${what}: ${code ? code + ' ' : ''}${message}`, { errno: code, cause: e });
}

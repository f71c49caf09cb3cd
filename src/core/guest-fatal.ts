/**
 * A guest did something that can never complete and that its WIT gives no error value for —
 * e.g. `pollable.block` on a pool that nothing will ever feed. A real host would hang forever;
 * this one ends the guest instead and the runner reports it like a trap (status 2) with this
 * message, so the guest author sees what happened. Never used for failures a WIT error can carry.
 */
export class GuestFatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuestFatalError';
  }
}

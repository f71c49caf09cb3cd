/**
 * A list the guest passes that does not lie inside its memory is a trap (canonical ABI), reported
 * as one: status 2 with a message, nothing written to the bus, the host not thrown through.
 */
import { describe, expect, it } from 'vitest';
import { runGuest } from '../helpers/run-guest.js';

describe('a list outside guest memory', () => {
  it('is a trap (status 2) with a message that says so; the call never reaches the bus', async () => {
    const run = await runGuest('oob_list', {});
    expect(run.stdout).toContain('writing a list outside memory');
    expect(run.stdout).not.toContain('the host accepted it');
    expect(run.code).toBe(2);
    expect(run.trap).toMatch(/list of 512 bytes at 4294967040 lies outside the guest's memory/);
  });
});

/**
 * wasi:config through a real component (guests/c/config_store.c): the values of the `config`
 * section, absent keys, prototype-like keys, get-all in the file's order, and the parser's refusals.
 */
import { describe, expect, it } from 'vitest';
import { runGuest } from '../helpers/run-guest.js';
import { parseConfig } from '../../src/host/config.js';

const VALUES = {
  device: 'cam-7',
  threshold: '0.75',
  quoted: 'say "hi" \\ bye',
  unicode: 'Grüße, 東京',
  empty: '',
};

function lines(stdout: string): unknown[] {
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('wasi:config/store through a component', () => {
  it('get returns each configured value, none for an absent key; get-all returns every pair in order', async () => {
    const keys = ['threshold', 'missing', 'unicode', '__proto__', 'constructor', 'quoted', 'empty'];
    const run = await runGuest('config_store', { config: VALUES, wasi: { args: ['config_store', ...keys] } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([
      { get: 'threshold', value: '0.75' },
      { get: 'missing', value: null },
      { get: 'unicode', value: 'Grüße, 東京' },
      { get: '__proto__', value: null },
      { get: 'constructor', value: null },
      { get: 'quoted', value: 'say "hi" \\ bye' },
      { get: 'empty', value: '' },
      { getAll: [['device', 'cam-7'], ['threshold', '0.75'], ['quoted', 'say "hi" \\ bye'], ['unicode', 'Grüße, 東京'], ['empty', '']] },
    ]);
  });

  it('with no config section the store is empty', async () => {
    const run = await runGuest('config_store', { wasi: { args: ['config_store', 'threshold'] } });
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([{ get: 'threshold', value: null }, { getAll: [] }]);
  });
});

describe('the config section', () => {
  it('refuses a value that is not a string, saying how to write it', () => {
    expect(() => parseConfig({ config: { threshold: 0.75 } })).toThrow(
      'config: config.threshold should be a string (wasi:config values are strings: write "0.75"), got number 0.75',
    );
    expect(() => parseConfig({ config: { on: true } })).toThrow('config.on should be a string (wasi:config values are strings: write "true")');
    expect(() => parseConfig({ config: { nested: { a: '1' } } })).toThrow('config.nested should be a string, got an object');
  });

  it('refuses a section that is not an object, an empty key and an oversized value', () => {
    expect(() => parseConfig({ config: ['a'] })).toThrow('config: config should be an object, got an array');
    expect(() => parseConfig({ config: { '': 'x' } })).toThrow('config: config. should be a key of 1 to 1024 bytes');
    expect(() => parseConfig({ config: { big: 'x'.repeat(65537) } })).toThrow('config.big should be a string of at most 65536 bytes');
  });
});

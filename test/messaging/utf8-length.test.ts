/** utf8Length counts what TextEncoder would write, without encoding: any string, lone surrogates included. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../src/messaging/utf8-length.js';

const utf8 = new TextEncoder();

describe('utf8Length', () => {
  it('is the length of TextEncoder\'s output', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => utf8Length(s) === utf8.encode(s).length), { numRuns: 500 });
    // UTF-16 units, including lone and reversed surrogates.
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffff })), (units) => {
      const s = String.fromCharCode(...units);
      return utf8Length(s) === utf8.encode(s).length;
    }), { numRuns: 500 });
  });

  it('at the boundaries of each width', () => {
    for (const [s, n] of [['', 0], ['\u007f', 1], ['\u0080', 2], ['\u07ff', 2], ['\u0800', 3], ['\uffff', 3], ['\u{10000}', 4], ['\ud800', 3], ['\udc00\ud800', 6], ['a\ud83d', 4]] as const) {
      expect(utf8Length(s)).toBe(n);
    }
  });
});

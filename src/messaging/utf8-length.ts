/**
 * The UTF-8 length of a string without encoding it: limits are checked on every send (topic,
 * content type, each metadata key and value, the queue's byte bound), and TextEncoder allocates
 * a new array each time. Counts as TextEncoder encodes: a lone surrogate becomes U+FFFD (3 bytes).
 */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 2 UTF-16 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

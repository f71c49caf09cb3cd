// Numbers and strings in JSON lines exactly as the C apps print them (printf with integer
// arithmetic, C's rounding), so that the outputs of both can be compared as text.

/**
 * C's llround/lroundf: to the nearest integer, halves away from zero (Math.round takes halves up).
 * @param {number} v
 */
export function lround(v) {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/**
 * `value` with `decimals` digits after the point ("21.50", "0.921", "-0.50").
 * @param {number} value
 * @param {number} decimals
 */
export function fixed(value, decimals) {
  const scale = 10 ** decimals;
  let v = lround(value * scale);
  const sign = v < 0 ? '-' : '';
  if (v < 0) v = -v;
  const frac = String(v % scale).padStart(decimals, '0');
  return `${sign}${Math.floor(v / scale)}${decimals ? '.' + frac : ''}`;
}

/**
 * `text` as a JSON string, escaped as the C apps escape it: quote and backslash, control characters
 * as \u00XX.
 * @param {string} text
 */
export function jsonString(text) {
  // eslint-disable-next-line no-control-regex
  return `"${text.replace(/["\\]/g, (c) => '\\' + c).replace(/[\u0000-\u001f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))}"`;
}

/**
 * The original ardei programs read and write numbers with Python's `int()`,
 * `float()` and `str(float)`; wirestate must read what they accept and write
 * what they write. Pure text rules: `+5`, ` 5 `, `1_0` are numbers, `nan` and
 * `inf` are floats, 5.0 is written `5.0`. (ASCII digits and white space only.)
 */

const DIGITS = String.raw`[0-9](?:_?[0-9])*`;
const SPACE = String.raw`[ \t\n\r\v\f]*`;
const INT = new RegExp(String.raw`^${SPACE}[+-]?${DIGITS}${SPACE}$`);
const FLOAT = new RegExp(
  String.raw`^${SPACE}[+-]?(?:(?:(?:${DIGITS})?\.${DIGITS}|${DIGITS}\.?)(?:e[+-]?${DIGITS})?|nan|inf|infinity)${SPACE}$`,
  'i',
);

/** Python's `int(text)`, exact however large, or undefined where Python raises ValueError. */
export function pythonInt(text: string): bigint | undefined {
  return INT.test(text) ? BigInt(text.trim().replace(/_/g, '')) : undefined;
}

/** Python's `float(text)`, or undefined where Python raises ValueError. */
export function pythonFloat(text: string): number | undefined {
  if (!FLOAT.test(text)) return undefined;
  const plain = text.trim().replace(/_/g, '').toLowerCase();
  const sign = plain.startsWith('-') ? -1 : 1;
  const unsigned = plain.replace(/^[+-]/, '');
  if (unsigned === 'nan') return NaN;
  if (unsigned.startsWith('inf')) return sign * Infinity;
  return Number(plain);
}

/** Python's `str(x)` for a float: `5.0`, `0.5`, `1e-05`, `1e+16`, `nan`, `inf`. */
export function pythonFloatText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const size = Math.abs(x);
  if (size !== 0 && (size < 1e-4 || size >= 1e16)) return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  const text = Object.is(x, -0) ? '-0' : String(x);
  return text.includes('.') ? text : `${text}.0`;
}

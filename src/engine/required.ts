/**
 * A value that a machine's state guarantees (a guard passed on it, or an earlier state set it) but that its
 * type cannot show. If the guarantee is ever broken, the machine fails with a message naming what was missing.
 */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

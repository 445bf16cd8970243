/** A bad command line or a setting that cannot work: one line naming the problem and --help, no usage dump, no stack. */
export function expectOneLine(result: { code: number | null; stderr: string }, code: number, error: RegExp): void {
  expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^wirestate: .*; see --help$/)]);
  expect(result.stderr).toMatch(error);
  expect(result.code).toBe(code);
}

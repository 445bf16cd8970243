import { EXIT } from '../engine/exit-codes';
import { wirestate } from './processes';

/** A bad command line or a setting that cannot work: one line naming the problem and --help, no usage dump, no stack. */
export function expectOneLine(result: { code: number | null; stderr: string }, code: number, error: RegExp): void {
  expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^wirestate: .*; see --help$/)]);
  expect(result.stderr).toMatch(error);
  expect(result.code).toBe(code);
}

/** `wirestate ARGS` refused as a bad argument: one line, `wirestate: WORDS; see --help` (`words`: a pattern), exit 2. */
export const refusedInWords = async (args: string[], words: string): Promise<void> =>
  expectOneLine(await wirestate(args), EXIT.usage, new RegExp(`^wirestate: ${words}; see --help$`, 'm'));

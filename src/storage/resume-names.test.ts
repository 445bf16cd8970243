/** The kept files' names: one per transfer of one file, within a folder entry's 255 bytes, whatever the name. */
import { keptTags, resumeNameFor } from './resume-names';

const TAG = '000102030405060708090a0b0c0d0e0f';

it('a short name is kept whole', () => {
  expect(resumeNameFor('a.txt', TAG)).toBe(`.a.txt.${TAG}.wirestate-resume`);
});

it('two long names that begin alike get kept files of their own, each found only for its name', () => {
  const [first, second] = ['a', 'b'].map((last) => `${'L'.repeat(180)}${last}`);
  const [firstKept, secondKept] = [first, second].map((name) => resumeNameFor(name, TAG));
  expect(firstKept).not.toBe(secondKept);
  for (const kept of [firstKept, secondKept]) expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(255);
  expect(keptTags([firstKept], first)).toEqual([TAG]);
  expect(keptTags([firstKept], second)).toEqual([]);
});

it('a 255-byte name of many-byte characters still fits, cut on a character boundary', () => {
  const name = 'é'.repeat(127);
  const kept = resumeNameFor(name, TAG);
  expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(255);
  expect(kept).not.toContain('\ufffd');
  expect(keptTags([kept], name)).toEqual([TAG]);
});

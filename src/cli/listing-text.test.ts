/** `--list`'s table: aligned sizes, UTC times to the second, names last; any number of files. */
import { byName, listingText } from './listing-text';

it('right-aligns people-sized sizes, then the UTC time, then the name as it is', () => {
  expect(
    listingText(
      byName([
        { name: 'ü b.txt', size: 3 * 1024 * 1024, mtimeMs: 1_700_000_000_000 },
        { name: 'a', size: 6, mtimeMs: 0 },
      ]),
    ),
  ).toBe('     6 B  1970-01-01 00:00:00Z  a\n3.00 MiB  2023-11-14 22:13:20Z  ü b.txt\n');
});

it('sorts by code point, the same on every machine', () => {
  const names = byName(['b', 'B', 'ä', 'a', '.hidden'].map((name) => ({ name, size: 0, mtimeMs: 0 })));
  expect(names.map((file) => file.name)).toEqual(['.hidden', 'B', 'a', 'b', 'ä']);
});

it('tables 250,000 files (the width is not found by spreading every size into one call)', () => {
  const files = Array.from({ length: 250_000 }, (_, index) => ({ name: `f${index}`, size: index, mtimeMs: 0 }));
  expect(listingText(files).split('\n')).toHaveLength(250_001);
});

it('shows a control character a hostile server put in a name as \\xNN: the terminal does not obey it', () => {
  const text = listingText([{ name: 'evil\x1b]0;owned\x07\nname\x9b', size: 1, mtimeMs: 0 }]);
  expect(text).toBe('1 B  1970-01-01 00:00:00Z  evil\\x1b]0;owned\\x07\\x0aname\\x9b\n');
});

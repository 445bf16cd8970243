/** `--list-file`'s lines: each form gives the pair a user would expect, and a line that names no pair says why. */
import { ListLineError, parseTransferList } from './transfer-list';

it('reads REMOTE<TAB>LOCAL, REMOTE LOCAL and REMOTE alone, skipping blank lines, comments and CRs', () => {
  expect(parseTransferList('# names\r\na b.txt\tc d.txt\r\nx.bin  out/x.bin\n\n  \nsame.txt\n')).toEqual([
    { remote: 'a b.txt', local: 'c d.txt' },
    { remote: 'x.bin', local: 'out/x.bin' },
    { remote: 'same.txt', local: 'same.txt' },
  ]);
});

it('gives nothing for an empty list', () => {
  expect(parseTransferList('')).toEqual([]);
});

it.each([
  ['three words without a tab', 'a b c\n', 'line 1 has 3 words: put a tab between REMOTE and LOCAL'],
  ['a tab with nothing after it', 'ok\nname\t\n', 'line 2: REMOTE<TAB>LOCAL needs a name on each side'],
  ['a tab with nothing before it', '\tlocal\n', 'line 1: REMOTE<TAB>LOCAL needs a name on each side'],
])('refuses %s, naming the line', (_, text, words) => {
  expect(() => parseTransferList(text)).toThrow(ListLineError);
  expect(() => parseTransferList(text)).toThrow(words);
});

/** The text-request reader keeps every byte after the request for the states that follow, whatever the cuts. */
import { decodeAll, everySplit } from '../test-support/cuts';
import { TextRequestReader } from './text-request-reader';

const framesOf = (reader: TextRequestReader, chunks: Buffer[]): string[] => decodeAll(reader, chunks).map((frame) => frame.bytes.toString());

const stream = Buffer.from('put,a.txt\nfile bytes\nmore');
const splits = everySplit(stream);

it.each(splits)('ends the request at its newline however the stream is cut (%#), and passes the rest on whole', (first, second) => {
  const frames = framesOf(new TextRequestReader(1, 4096), [first, second]);
  const request = frames.join('').slice(0, 'put,a.txt\n'.length);
  expect(request).toBe('put,a.txt\n');
  // The frames that carry request bytes carry nothing else.
  let seen = 0;
  for (const frame of frames) {
    if (seen < request.length) expect(seen + frame.length).toBeLessThanOrEqual(request.length);
    seen += frame.length;
  }
  expect(frames.join('')).toBe(stream.toString());
});

it('counts the lines a request has (sum: two) and ends a request with no newline at the size cap', () => {
  expect(framesOf(new TextRequestReader(2, 4096), [Buffer.from('Alice\n42\nextra')])).toEqual(['Alice\n42\n', 'extra']);
  expect(framesOf(new TextRequestReader(1, 4), [Buffer.from('abcdefg')])).toEqual(['abcd', 'efg']);
  expect(framesOf(new TextRequestReader(1, 4), [Buffer.from('ab'), Buffer.from('cdefg')])).toEqual(['ab', 'cd', 'efg']);
});

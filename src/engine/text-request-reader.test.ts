/** The text-request reader keeps every byte after the request for the states that follow, whatever the cuts. */
import { TextRequestReader } from './text-request-reader';

function framesOf(reader: TextRequestReader, chunks: Buffer[]): string[] {
  const out: string[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let frame = reader.next(); frame; frame = reader.next()) out.push(frame.bytes.toString());
  }
  return out;
}

const stream = Buffer.from('put,a.txt\nfile bytes\nmore');
const splits = Array.from({ length: stream.length + 1 }, (_, at) => [stream.subarray(0, at), stream.subarray(at)]);

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

/** The text-request reader frames and parses the request once, and keeps every byte after it for the states that follow, whatever the cuts. */
import { decodeAll, everySplit } from '../test-support/cuts';
import { TextRequestReader, type TextRequestFrame } from './text-request-reader';

const framesOf = (reader: TextRequestReader, chunks: Buffer[]): TextRequestFrame[] => decodeAll(reader, chunks);
const textsOf = (frames: TextRequestFrame[]) => frames.map((frame) => frame.bytes.toString());
const lastRequest = (frames: TextRequestFrame[]) => frames.filter((frame) => frame.request).at(-1)?.request;

const stream = Buffer.from('put,a.txt\nfile bytes\nmore');
const splits = everySplit(stream);

it.each(splits)(
  'ends the request at its newline however the stream is cut (%#), and passes the rest on whole',
  (first, second) => {
    const frames = framesOf(new TextRequestReader(1, 4096), [first, second]);
    // The frames that carry the request carry nothing else, and no frame after it carries a request.
    const requestFrames = frames.filter((frame) => frame.request);
    expect(Buffer.concat(requestFrames.map((frame) => frame.bytes)).toString()).toBe('put,a.txt\n');
    expect(frames.slice(0, requestFrames.length)).toEqual(requestFrames);
    expect(lastRequest(frames)).toEqual({
      lines: ['put,a.txt'],
      firstLine: Buffer.from('put,a.txt'),
      size: 10,
      complete: true,
    });
    expect(textsOf(frames).join('')).toBe(stream.toString());
  },
);

it.each(everySplit(Buffer.from('Alice\r\n42\nextra')))(
  'parses a request of two lines (sum) the same however it is cut (%#)',
  (first, second) => {
    const frames = framesOf(new TextRequestReader(2, 4096), [first, second]);
    expect(lastRequest(frames)).toEqual({
      lines: ['Alice', '42'],
      firstLine: Buffer.from('Alice\r'),
      size: 10,
      complete: true,
    });
    expect(textsOf(frames).join('')).toBe('Alice\r\n42\nextra');
  },
);

it('gives the request read so far while it is open: the line not yet ended as it stands, lines not begun empty', () => {
  const frames = framesOf(new TextRequestReader(2, 4096), [Buffer.from('Ali'), Buffer.from('ce\n4')]);
  expect(frames.map((frame) => frame.request?.lines)).toEqual([
    ['Ali', ''],
    ['Alice', '4'],
  ]);
  expect(frames.map((frame) => frame.request?.complete)).toEqual([false, false]);
});

it('ends a request with no newline at the size cap, and keeps the bytes of a line that is not UTF-8', () => {
  expect(textsOf(framesOf(new TextRequestReader(1, 4), [Buffer.from('abcdefg')]))).toEqual(['abcd', 'efg']);
  const cut = framesOf(new TextRequestReader(1, 4), [Buffer.from('ab'), Buffer.from('cdefg')]);
  expect(textsOf(cut)).toEqual(['ab', 'cd', 'efg']);
  expect(lastRequest(cut)).toEqual({ lines: ['abcd'], firstLine: Buffer.from('abcd'), size: 4, complete: true });
  const latin1 = Buffer.from([0x67, 0x65, 0x74, 0x2c, 0xe9, 0x0a]);
  expect(lastRequest(framesOf(new TextRequestReader(1, 4096), [latin1]))?.firstLine).toEqual(latin1.subarray(0, 5));
});

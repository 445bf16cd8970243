import { decodeAll, everySplit } from '../../src/test-support/cuts';
import { OP, STATUS, encodeDownloadReply, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import { TransferFrameReader, type InboundFrame, type ReaderRole } from './frame-reader';

/** Reads a stream cut into the given pieces; data frames are merged so any cut compares equal. */
function readAll(role: ReaderRole, pieces: Buffer[]): InboundFrame[] {
  const frames: InboundFrame[] = [];
  for (const frame of decodeAll(new TransferFrameReader(role), pieces)) {
    const last = frames[frames.length - 1];
    if (frame.type === 'frame.data' && last?.type === 'frame.data')
      last.chunk = Buffer.concat([last.chunk, frame.chunk]);
    else frames.push(frame.type === 'frame.data' ? { ...frame, chunk: Buffer.from(frame.chunk) } : frame);
  }
  return frames;
}

/** Every cut in two, and 1-byte pieces. */
const splits = (stream: Buffer): Buffer[][] => [...everySplit(stream), [...stream].map((byte) => Buffer.of(byte))];

const data = Buffer.from('hello, wire');
const streams: [string, ReaderRole, Buffer][] = [
  [
    'server: download request and confirmation',
    'server',
    Buffer.concat([encodeRequest(OP.download, 'speech.txt'), encodeStatus(STATUS.yes)]),
  ],
  [
    'server: upload request, size and data',
    'server',
    Buffer.concat([encodeRequest(OP.upload, 'up.txt'), encodeUploadSize(data.length), data]),
  ],
  ['client: download reply and data', 'download', Buffer.concat([encodeDownloadReply(STATUS.yes, data.length), data])],
  ['client: upload replies', 'upload', Buffer.concat([encodeStatus(STATUS.yes), encodeStatus(STATUS.yes)])],
];

describe.each(streams)('%s', (_name, role, stream) => {
  const whole = readAll(role, [stream]);

  it('gives the same frames however the stream is cut (every offset, and 1-byte pieces)', () => {
    for (const pieces of splits(stream)) expect(readAll(role, pieces)).toEqual(whole);
  });

  it('reports bytes beyond what the protocol allows as unexpected, once', () => {
    expect(readAll(role, [stream, Buffer.from('!!')]).slice(-1)).toEqual([{ type: 'frame.unexpected', length: 2 }]);
  });
});

describe('what each side expects', () => {
  it('server: an upload of 0 bytes ends its data at once', () => {
    const frames = readAll('server', [encodeRequest(OP.upload, 'empty'), encodeUploadSize(0)]);
    expect(frames.map((frame) => frame.type)).toEqual(['frame.request', 'frame.upload_size', 'frame.data_end']);
  });

  it('server: an unknown op ends the grammar; what follows is unexpected', () => {
    const request = encodeRequest(OP.download, 'x');
    request[0] = 0x58; // 'X'
    const frames = readAll('server', [request, Buffer.of(1)]);
    expect(frames.map((frame) => frame.type)).toEqual(['frame.request', 'frame.unexpected']);
  });

  it('client: after F or E no data is expected', () => {
    const frames = readAll('download', [encodeDownloadReply(STATUS.no, 0), Buffer.of(7)]);
    expect(frames).toEqual([
      { type: 'frame.download_reply', status: STATUS.no, size: 0 },
      { type: 'frame.unexpected', length: 1 },
    ]);
  });

  it('client: data is cut at the announced size, the rest is unexpected', () => {
    const frames = readAll('download', [Buffer.concat([encodeDownloadReply(STATUS.yes, 3), Buffer.from('abcdef')])]);
    expect(frames.slice(1)).toEqual([
      { type: 'frame.data', chunk: Buffer.from('abc') },
      { type: 'frame.data_end' },
      { type: 'frame.unexpected', length: 3 },
    ]);
  });

  it('waits without output while a frame is incomplete', () => {
    const reader = new TransferFrameReader('server');
    reader.push(Buffer.alloc(255));
    expect(reader.next()).toBeUndefined();
    expect(reader.buffered).toBe(255);
  });
});

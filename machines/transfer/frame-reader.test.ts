import { decodeAll, everySplit } from '../../src/test-support/cuts';
import { OP, STATUS, encodeDownloadReply, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import { TransferFrameReader, type InboundFrame, type ReaderOptions, type ReaderRole } from './frame-reader';
import { CAPABILITY, EXT_OP, encodeExtDownloadReply, encodeHello, encodeHelloReply } from './extension-frames';

/** Reads a stream cut into the given pieces; data frames are merged so any cut compares equal. */
function readAll(role: ReaderRole, pieces: Buffer[], options?: ReaderOptions): InboundFrame[] {
  const frames: InboundFrame[] = [];
  for (const frame of decodeAll(new TransferFrameReader(role, options), pieces)) {
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

describe('the extension grammar (docs/protocol-extensions.md)', () => {
  const both = CAPABILITY.stored | CAPABILITY.sha256;
  const digest = Buffer.alloc(32, 0xab);
  const helloReply = encodeHelloReply({ version: 1, capabilities: both, maxUploadSize: 9, keepPartialSeconds: 0 });
  const cases: [string, ReaderRole, ReaderOptions, Buffer, string[]][] = [
    [
      'server: hello, extension upload, data and digest',
      'server',
      { capabilities: both },
      Buffer.concat([
        encodeHello(both),
        encodeRequest(EXT_OP.upload, 'up'),
        encodeUploadSize(data.length),
        data,
        digest,
      ]),
      ['frame.hello', 'frame.request', 'frame.upload_size', 'frame.data', 'frame.data_end', 'frame.digest'],
    ],
    [
      'server: an offer cut to what the server has (no digest without its sha256)',
      'server',
      { capabilities: CAPABILITY.stored },
      Buffer.concat([encodeHello(both), encodeRequest(EXT_OP.upload, 'up'), encodeUploadSize(data.length), data]),
      ['frame.hello', 'frame.request', 'frame.upload_size', 'frame.data', 'frame.data_end'],
    ],
    [
      'client: hello reply, extension download reply, data and digest',
      'download',
      { hello: true },
      Buffer.concat([helloReply, encodeExtDownloadReply(data.length, 5), data, digest]),
      ['frame.hello_reply', 'frame.download_reply', 'frame.data', 'frame.data_end', 'frame.digest'],
    ],
    [
      'client: a late hello reply, then the plain grammar',
      'download',
      { hello: true },
      Buffer.concat([helloReply, encodeDownloadReply(STATUS.yes, data.length), data]),
      ['frame.hello_reply', 'frame.download_reply', 'frame.data', 'frame.data_end'],
    ],
    [
      'client: hello reply, extension upload replies and the stored reply',
      'upload',
      { hello: true },
      Buffer.concat([helloReply, Buffer.from('ttt')]),
      ['frame.hello_reply', 'frame.upload_reply', 'frame.upload_size_reply', 'frame.stored_reply'],
    ],
  ];

  describe.each(cases)('%s', (_name, role, options, stream, types) => {
    const whole = readAll(role, [stream], options);

    it('reads the frames the agreement calls for', () => {
      expect(whole.map((frame) => frame.type)).toEqual(types);
    });

    it('gives the same frames however the stream is cut (every offset, and 1-byte pieces)', () => {
      for (const pieces of splits(stream)) expect(readAll(role, pieces, options)).toEqual(whole);
    });
  });

  it('client: reads the extension reply as yes, with the size and time', () => {
    const [reply] = readAll('download', [encodeExtDownloadReply(3, 1701000000000)], { hello: true });
    expect(reply).toEqual({
      type: 'frame.download_reply',
      status: STATUS.yes,
      size: 3,
      mtimeMs: 1701000000000,
      extended: true,
    });
  });

  it('client: without a hello sent, an h reply is a bad plain reply, not a hello reply', () => {
    const [reply] = readAll('upload', [Buffer.from('h')]);
    expect(reply).toEqual({ type: 'frame.upload_reply', status: 0x68 });
  });
});

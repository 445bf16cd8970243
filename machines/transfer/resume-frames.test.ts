/** The resume extension's frames: their bytes as the document shows them, and the reader's grammar around them. */
import { decodeAll, everySplit } from '../../src/test-support/cuts';
import { OP, encodeRequest, encodeStatus } from './frames';
import { TransferFrameReader, type InboundFrame, type ReaderOptions, type ReaderRole } from './frame-reader';
import { CAPABILITY, agreed, encodeHello, encodeHelloReply } from './extension-frames';
import {
  RESUME_OP,
  encodeResumeFrom,
  encodeResumeReply,
  encodeUploadFrom,
  encodeUploadOpen,
  encodeUploadResumeReply,
  resumeStart,
} from './resume-frames';

const ALL = CAPABILITY.stored | CAPABILITY.sha256 | CAPABILITY.resume;
const data = Buffer.from('the rest');
const digest = Buffer.alloc(32, 0xab);
const helloReply = encodeHelloReply({ version: 1, capabilities: ALL, maxUploadSize: 9, keepPartialSeconds: 600 });
const id = '00112233445566778899aabbccddeeff';

function readAll(role: ReaderRole, pieces: Buffer[], options: ReaderOptions): InboundFrame[] {
  const frames: InboundFrame[] = [];
  for (const frame of decodeAll(new TransferFrameReader(role, options), pieces)) {
    const last = frames[frames.length - 1];
    if (frame.type === 'frame.data' && last?.type === 'frame.data')
      last.chunk = Buffer.concat([last.chunk, frame.chunk]);
    else frames.push(frame.type === 'frame.data' ? { ...frame, chunk: Buffer.from(frame.chunk) } : frame);
  }
  return frames;
}

describe('bytes as docs/protocol-extensions.md shows them', () => {
  it('RESUME_FROM: offset, size, mtime', () => {
    expect(encodeResumeFrom({ offset: 0x07a00000, size: 0x10000000, mtimeMs: 1701000000000 }).toString('hex')).toBe(
      '0000000007a00000' + '0000000010000000' + '0000018c0b803200',
    );
  });

  it('RESUME_REPLY: t, size, mtime, start', () => {
    expect(encodeResumeReply(0x10000000, 1701000000000, 0x07a00000).toString('hex')).toBe(
      '74' + '0000000010000000' + '0000018c0b803200' + '0000000007a00000',
    );
  });

  it('UPLOAD_OPEN, UPLOAD_RESUME_REPLY and UPLOAD_FROM', () => {
    expect(encodeUploadOpen({ size: 0x10000000, id }).toString('hex')).toBe('0000000010000000' + id);
    expect(encodeUploadResumeReply(0x07a00000).toString('hex')).toBe('74' + '0000000007a00000');
    expect(encodeUploadFrom(0x07a00000).toString('hex')).toBe('0000000007a00000');
  });
});

describe('where a resumed download starts', () => {
  const from = { offset: 100, size: 1000, mtimeMs: 5000 };
  it('at the offset when the file is unchanged', () => expect(resumeStart(from, 1000, 5000.7)).toBe(100));
  it('at 0 when its size or mtime changed', () => {
    expect(resumeStart(from, 1001, 5000)).toBe(0);
    expect(resumeStart(from, 1000, 5001)).toBe(0);
  });
  it('at 0 when the offset lies past its end', () =>
    expect(resumeStart({ ...from, offset: 1001 }, 1000, 5000)).toBe(0));
});

it('resume is agreed only with sha256: nothing else proves a resumed file whole', () => {
  expect(agreed(ALL, ALL)).toBe(ALL);
  expect(agreed(CAPABILITY.resume | CAPABILITY.stored, ALL)).toBe(CAPABILITY.stored);
});

const cases: [string, ReaderRole, ReaderOptions, Buffer, InboundFrame[]][] = [
  [
    'server: hello, r with RESUME_FROM, confirmation',
    'server',
    { capabilities: ALL },
    Buffer.concat([
      encodeHello(ALL),
      encodeRequest(RESUME_OP.download, 'big'),
      encodeResumeFrom({ offset: 3, size: 11, mtimeMs: 7 }),
      encodeStatus(0x54),
    ]),
    [
      { type: 'frame.hello', version: 1, capabilities: ALL },
      {
        type: 'frame.request',
        op: OP.download,
        name: { ok: true, name: 'big' },
        extended: true,
        resumeFrom: { offset: 3, size: 11, mtimeMs: 7 },
      },
      { type: 'frame.confirm', status: 0x54 },
    ],
  ],
  [
    'server: hello, p with UPLOAD_OPEN, UPLOAD_FROM, the rest and the digest',
    'server',
    { capabilities: ALL },
    Buffer.concat([
      encodeHello(ALL),
      encodeRequest(RESUME_OP.upload, 'up'),
      encodeUploadOpen({ size: 3 + data.length, id }),
      encodeUploadFrom(3),
      data,
      digest,
    ]),
    [
      { type: 'frame.hello', version: 1, capabilities: ALL },
      {
        type: 'frame.request',
        op: OP.upload,
        name: { ok: true, name: 'up' },
        extended: true,
        uploadOpen: { size: 3 + data.length, id },
      },
      { type: 'frame.upload_from', start: 3 },
      { type: 'frame.data', chunk: data },
      { type: 'frame.data_end' },
      { type: 'frame.digest', sha256: digest },
    ],
  ],
  [
    'client: hello reply, RESUME_REPLY, the rest and the digest of the whole',
    'download',
    { hello: true, resumes: true },
    Buffer.concat([helloReply, encodeResumeReply(3 + data.length, 7, 3), data, digest]),
    [
      {
        type: 'frame.hello_reply',
        reply: { version: 1, capabilities: ALL, maxUploadSize: 9, keepPartialSeconds: 600 },
      },
      { type: 'frame.download_reply', status: 0x54, size: 3 + data.length, mtimeMs: 7, start: 3, extended: true },
      { type: 'frame.data', chunk: data },
      { type: 'frame.data_end' },
      { type: 'frame.digest', sha256: digest },
    ],
  ],
  [
    'client: hello reply, UPLOAD_RESUME_REPLY, STORED_REPLY',
    'upload',
    { hello: true, resumes: true },
    Buffer.concat([helloReply, encodeUploadResumeReply(3), Buffer.from('t')]),
    [
      {
        type: 'frame.hello_reply',
        reply: { version: 1, capabilities: ALL, maxUploadSize: 9, keepPartialSeconds: 600 },
      },
      { type: 'frame.upload_reply', status: 0x54, extended: true, start: 3 },
      { type: 'frame.stored_reply', status: 0x74 },
    ],
  ],
  [
    'client: a refused p is the one byte F',
    'upload',
    { hello: true, resumes: true },
    Buffer.concat([helloReply, Buffer.from('F')]),
    [
      {
        type: 'frame.hello_reply',
        reply: { version: 1, capabilities: ALL, maxUploadSize: 9, keepPartialSeconds: 600 },
      },
      { type: 'frame.upload_reply', status: 0x46 },
    ],
  ],
];

describe.each(cases)('%s', (_name, role, options, stream, frames) => {
  it('reads the frames the agreement calls for', () => expect(readAll(role, [stream], options)).toEqual(frames));

  it('gives the same frames however the stream is cut (every offset, and 1-byte pieces)', () => {
    for (const pieces of [...everySplit(stream), [...stream].map((byte) => Buffer.of(byte))])
      expect(readAll(role, pieces, options)).toEqual(frames);
  });
});

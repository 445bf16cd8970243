/** Ardei's machines driven by scripted bytes and datagrams (no sockets): replies, generated data, streams, and the requests the original ignored. */
import { PEER_ENDS, replay, type ReplayInput } from '../../src/engine/replay';
import {
  FILE_PREPARED,
  FILE_LIMIT,
  STREAM_COUNT_LIMIT,
  echoOf,
  generatedChunks,
  parseArdeiRequest,
  streamRequestOf,
} from './codec';
import { pythonFloatText } from './python-numbers';
import { ardeiTcpClient, ardeiTcpServer, ardeiUdpClient, ardeiUdpServer } from '.';
import { PREPARED_GAP_MS } from './tcp-server';
import { DEFAULT_QUIET_MS } from '../../src/engine/text-request';
import { everySplit } from '../../src/test-support/cuts';

/** The pause after which the server takes what came as the request (a newline ends none). */
const QUIET: ReplayInput = { wait: DEFAULT_QUIET_MS };
const tcp = (inputs: ReplayInput[]) => replay(ardeiTcpServer({ maxRequest: 1024 }).accept('c1'), inputs);
const udp = (inputs: ReplayInput[]) =>
  replay(ardeiUdpServer({ burst: 4, paceMs: 1, maxReply: 0 }).accept('u1'), inputs);

describe('codec', () => {
  const parse = (text: string | Buffer) => parseArdeiRequest(Buffer.isBuffer(text) ? text : Buffer.from(text));

  it('dispatches the first match: stream, file, echo; and answers what the original ignored', () => {
    expect(parse(' stream-2.5-3-100 \n')).toEqual({ kind: 'stream', intervalMs: 2.5, count: 3, size: 100 });
    expect(parse('1000')).toEqual({ kind: 'file', size: 1000 });
    expect(parse('hello stream')).toMatchObject({ kind: 'error' });
    expect(parse('-5')).toMatchObject({ kind: 'error' });
    expect(parse('')).toMatchObject({ kind: 'error' });
    expect(parse(String(FILE_LIMIT))).toEqual({ kind: 'file', size: FILE_LIMIT });
    expect(parse(String(FILE_LIMIT + 1))).toEqual({
      kind: 'error',
      message: 'Request for file of 123456790 chars. Server limit is: 123456790 chars.',
    });
    expect(parse('0')).toEqual({ kind: 'echo', text: '0' });
    expect(echoOf('Hello, wörld 42').toString()).toBe('HELLO, WöRLD 42');
  });

  it("reads numbers as Python's int() does, and prints them as Python does", () => {
    for (const text of ['+5', ' 5 ', '\t5\r\n', '005']) expect(parse(text)).toEqual({ kind: 'file', size: 5 });
    expect(parse('1_0')).toEqual({ kind: 'file', size: 10 });
    for (const text of ['1__0', '_1', '1_', '5.0', '0x5', '-0', '+0'])
      expect(parse(text)).toMatchObject({ kind: 'echo' });
    expect(parse('+123_456_790')).toEqual({
      kind: 'error',
      message: 'Request for file of 123456790 chars. Server limit is: 123456790 chars.',
    });
    expect(parse('99999999999999999999999')).toEqual({
      kind: 'error',
      message: 'Request for file of 99999999999999999999999 chars. Server limit is: 123456790 chars.',
    });
  });

  it('strips ASCII white space only, upper-cases ASCII letters only, and refuses bytes that are not UTF-8', () => {
    expect(parse(' café ok \n')).toEqual({ kind: 'echo', text: 'café ok' });
    expect(echoOf('café ok').toString()).toBe('CAFé OK');
    expect(parse('\u00a0hi')).toEqual({ kind: 'echo', text: '\u00a0hi' });
    expect(parse(Buffer.from([0x68, 0xff, 0x69]))).toEqual({
      kind: 'error',
      message: 'Error: the request is not UTF-8',
    });
  });

  it("takes any text containing stream, split like Python's split('-', 3), with Python's float() for the interval", () => {
    expect(parse('upstream-5.0-20-100')).toEqual({ kind: 'stream', intervalMs: 5, count: 20, size: 100 });
    expect(parse('stream-1e1-+2-0')).toEqual({ kind: 'stream', intervalMs: 10, count: 2, size: 0 });
    expect(parse('stream-.5-1_0- 3 ')).toEqual({ kind: 'stream', intervalMs: 0.5, count: 10, size: 3 });
    expect(parse('stream-1-10002-1')).toEqual({ kind: 'stream', intervalMs: 1, count: STREAM_COUNT_LIMIT, size: 1 });
    expect(parse('stream-1-0-1')).toEqual({ kind: 'stream', intervalMs: 1, count: 0, size: 1 });
    expect(parse('stream-nan-0-5')).toEqual({
      kind: 'error',
      message: 'Request for transfer of 0 segments at interval: nan, of size: 5 has errors.',
    });
    expect(parse('stream-NaN-3-0')).toEqual({
      kind: 'error',
      message: 'Request for transfer of 3 segments at interval: NaN, of size: 0 has errors.',
    });
    for (const text of [
      'stream',
      'stream-1-2',
      'stream-1-2-3-4',
      'stream-x-1-1',
      'stream-nan-1-1',
      'stream-inf-1-1',
      'stream-1-1--1',
    ]) {
      expect(parse(text)).toMatchObject({ kind: 'error' });
    }
  });

  it('builds the stream request the original client sends from its three answers', () => {
    expect(streamRequestOf('5', '20', '100')).toBe('stream-5.0-20-100');
    expect(streamRequestOf(' 0.25 ', '+3', '1_0')).toBe('stream-0.25-3-10');
    expect(streamRequestOf('x', '', 'big')).toBe('stream-10.0-1000-1024');
    expect(streamRequestOf('nan', '0', '5')).toBe('stream-nan-0-5');
    expect([1e-5, 1e16, 123.5, -0].map(pythonFloatText)).toEqual(['1e-05', '1e+16', '123.5', '-0.0']);
  });

  it('generates exactly the bytes asked for, from one shared buffer', () => {
    const chunks = [...generatedChunks(150_000)];
    expect(chunks.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(150_000);
    expect(chunks.every((chunk) => chunk.every((byte) => byte === 0x41))).toBe(true);
    expect(chunks[0].buffer).toBe(chunks[1].buffer);
  });
});

describe('TCP server', () => {
  it.each(everySplit(Buffer.from('hello\n')))(
    'echoes a request cut anywhere (%#), upper-cased, once the client has paused, then closes',
    async (first, second) => {
      const result = await tcp([first, second, QUIET]);
      expect(result.sent.toString()).toBe('HELLO');
      expect(result.closed).toBe('end');
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'echoed' });
    },
  );

  it.each(everySplit(Buffer.from('hello\nworld\r\n!')))(
    'echoes text of several lines whole, however it is cut (%#): a newline ends no request, as one read takes them',
    async (first, second) => {
      const result = await tcp([first, second, QUIET]);
      expect(result.sent.toString()).toBe('HELLO\nWORLD\r\n!');
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'echoed' });
    },
  );

  it('sends file_prepared in a write of its own, pauses, then exactly n bytes of A, with no delimiter', async () => {
    const prepared = await tcp([Buffer.from('200000\n'), QUIET]);
    expect(prepared.sent).toEqual(FILE_PREPARED);
    const result = await tcp([Buffer.from('200000\n'), QUIET, { wait: PREPARED_GAP_MS }]);
    expect(result.sent.subarray(0, 13)).toEqual(FILE_PREPARED);
    expect(result.sent.length).toBe(13 + 200_000);
    expect(result.sent.subarray(13).every((byte) => byte === 0x41)).toBe(true);
    expect(result.states).toEqual([
      'client_connect',
      'check_request',
      'preparing_file',
      'sending_file.sending',
      'request_complete',
    ]);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'sent', bytes: 200_000 });
    const noGap = await replay(ardeiTcpServer({ maxRequest: 1024, preparedGapMs: 0 }).accept('c1'), [
      Buffer.from('3\n'),
      QUIET,
    ]);
    expect(noGap.sent.toString()).toBe('file_preparedAAA');
  });

  it('sends a stream of no segments as nothing, and closes', async () => {
    const result = await tcp([Buffer.from('stream-5-0-100\n'), QUIET]);
    expect(result.sent.length).toBe(0);
    expect(result.closed).toBe('end');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'streamed', bytes: 0 });
  });

  it('streams count segments, one per interval', async () => {
    const early = await tcp([Buffer.from('stream-10-3-5\n'), QUIET, { wait: 10 }, { wait: 9 }]);
    expect(early.sent.toString()).toBe('AAAAA');
    const result = await tcp([Buffer.from('stream-10-3-5\n'), QUIET, { wait: 10 }, { wait: 10 }, { wait: 10 }]);
    expect(result.sent.toString()).toBe('A'.repeat(15));
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'streamed', bytes: 15 });
  });

  it('answers requests the original left unanswered with one line', async () => {
    expect((await tcp([Buffer.from('-3\n'), QUIET])).sent.toString()).toBe(
      'Error: a file size is a positive number of chars',
    );
    expect((await tcp([Buffer.from('123456790\n'), QUIET])).sent.toString()).toBe(
      'Request for file of 123456790 chars. Server limit is: 123456790 chars.',
    );
    expect((await tcp([PEER_ENDS])).sent.toString()).toBe('Error: empty request');
  });
});

describe('UDP server', () => {
  it('answers each datagram of a peer: echo, then a file in paced datagrams', async () => {
    const result = await udp([Buffer.from('hi'), Buffer.from('3000'), { wait: 1 }, PEER_ENDS]);
    expect(result.sent.toString('utf8', 0, 2)).toBe('HI');
    expect(result.sent.subarray(2, 15)).toEqual(FILE_PREPARED);
    expect(result.sent.length).toBe(2 + 13 + 3000);
    // The echo counts as the file does, so the log's last line does not leave it out (as the TCP server's 'echoed: 2 B').
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'served', detail: '2 requests', bytes: 2 + 3000 });
  });

  it('sends no more than --udp-max-reply bytes to one request: a larger file or stream gets a one-line error instead', async () => {
    const limited = (...requests: string[]) =>
      replay(ardeiUdpServer({ burst: 4, paceMs: 1, maxReply: 1000 }).accept('u1'), [
        ...requests.map((r) => Buffer.from(r)),
        ...Array.from({ length: 20 }, () => ({ wait: 1 })),
        PEER_ENDS,
      ]);
    expect((await limited('1000')).sent.length).toBe(13 + 1000);
    const refusal = 'Error: this server sends at most 1000 bytes a request over UDP; ask over TCP';
    expect((await limited('1001')).sent.toString()).toBe(refusal);
    expect((await limited('10000000')).sent.toString()).toBe(refusal);
    // A segment counts at least 64 bytes: 16 empty datagrams cost 1024.
    expect((await limited('stream-0-16-0')).sent.toString()).toBe(refusal);
    expect((await limited('stream-0-15-10')).sent.length).toBe(150);
  });

  it('sends no more than --udp-max-rate bytes a second to one address, across its peers', async () => {
    const server = ardeiUdpServer({ burst: 4, paceMs: 1, maxReply: 0 }, 2000);
    const peer = (address: string, request: string) =>
      replay(server.accept('u1', address), [Buffer.from(request), { wait: 1 }, PEER_ENDS]);
    expect((await peer('127.0.0.2', '1500')).sent.length).toBe(13 + 1500);
    expect((await peer('127.0.0.2', '1500')).sent.toString()).toBe(
      "Error: over this server's UDP rate limit for your address; try again in a second",
    );
    expect((await peer('127.0.0.3', '1500')).sent.length).toBe(13 + 1500);
  });

  it('charges echoes, errors and refusals to --udp-max-rate too: none is sent once the budget is spent', async () => {
    const server = ardeiUdpServer({ burst: 4, paceMs: 1, maxReply: 0 }, 1000);
    const peer = (request: string) =>
      replay(server.accept('u1', '127.0.0.2'), [Buffer.from(request), { wait: 1 }, PEER_ENDS]);
    expect((await peer('1000')).sent.length).toBe(13 + 1000);
    // The budget refills 1000 bytes a second: 900 would take 0.9 s.
    expect((await peer('x'.repeat(900))).sent.length).toBe(0);
    expect((await peer('1500')).sent.length).toBe(0);
  });
});

describe('clients', () => {
  it('TCP: counts a file split by length from file_prepared, keeping only the first bytes', async () => {
    const data = Buffer.alloc(100_000, 'A');
    const result = await replay(ardeiTcpClient({ request: '100000', keep: 64 }), [
      Buffer.concat([FILE_PREPARED, data.subarray(0, 10)]),
      data.subarray(10),
      PEER_ENDS,
    ]);
    expect(result.sent.toString()).toBe('100000');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'received', bytes: 13 + 100_000 });
  });

  it('UDP: stops when everything asked for has come, or after a silence', async () => {
    const all = await replay(ardeiUdpClient({ request: '2000', keep: 64, silenceMs: 2000 }), [
      FILE_PREPARED,
      Buffer.alloc(1120, 'A'),
      Buffer.alloc(880, 'A'),
    ]);
    expect(all.outcome).toMatchObject({ outcome: 'received', bytes: 2000 });
    const lossy = await replay(ardeiUdpClient({ request: '2000', keep: 64, silenceMs: 2000 }), [
      FILE_PREPARED,
      Buffer.alloc(1120, 'A'),
      { wait: 2000 },
    ]);
    expect(lossy.outcome).toMatchObject({ outcome: 'received', bytes: 1120, detail: 'stopped after a silence' });
    const echo = await replay(ardeiUdpClient({ request: 'hi', keep: 64, silenceMs: 2000 }), [Buffer.from('HI')]);
    expect(echo.outcome).toMatchObject({ outcome: 'received', bytes: 2 });
  });
});

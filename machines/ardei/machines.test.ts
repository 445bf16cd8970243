/** Ardei's machines driven by scripted bytes and datagrams (no sockets): replies, generated data, streams, and the requests the original ignored. */
import { PEER_ENDS, replay, type ReplayInput } from '../../src/engine/replay';
import { FILE_PREPARED, FILE_LIMIT, echoOf, generatedChunks, parseArdeiRequest } from './codec';
import { ardeiTcpClient, ardeiTcpServer, ardeiUdpClient, ardeiUdpServer } from '.';
import { everySplit } from '../../src/test-support/cuts';

const tcp = (inputs: ReplayInput[]) => replay(ardeiTcpServer({ maxRequest: 1024 }).accept('c1'), inputs);
const udp = (inputs: ReplayInput[]) => replay(ardeiUdpServer({ burst: 4, paceMs: 1 }).accept('u1'), inputs);

describe('codec', () => {
  it('dispatches the first match: stream, file, echo; and answers what the original ignored', () => {
    expect(parseArdeiRequest(' stream-2.5-3-100 \n')).toEqual({ kind: 'stream', intervalMs: 2.5, count: 3, size: 100 });
    expect(parseArdeiRequest('1000')).toEqual({ kind: 'file', size: 1000 });
    expect(parseArdeiRequest('hello stream')).toMatchObject({ kind: 'error' });
    expect(parseArdeiRequest('stream-1-10002-1')).toMatchObject({ kind: 'error' });
    expect(parseArdeiRequest('-5')).toMatchObject({ kind: 'error' });
    expect(parseArdeiRequest('')).toMatchObject({ kind: 'error' });
    expect(parseArdeiRequest(String(FILE_LIMIT))).toEqual({ kind: 'file', size: FILE_LIMIT });
    expect(parseArdeiRequest(String(FILE_LIMIT + 1))).toEqual({ kind: 'error', message: 'Request for file of 123456790 chars. Server limit is: 123456790 chars.' });
    expect(parseArdeiRequest('0')).toEqual({ kind: 'echo', text: '0' });
    expect(echoOf('Hello, wörld 42').toString()).toBe('HELLO, WöRLD 42');
  });

  it('generates exactly the bytes asked for, from one shared buffer', () => {
    const chunks = [...generatedChunks(150_000)];
    expect(chunks.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(150_000);
    expect(chunks.every((chunk) => chunk.every((byte) => byte === 0x41))).toBe(true);
    expect(chunks[0].buffer).toBe(chunks[1].buffer);
  });
});

describe('TCP server', () => {
  it.each(everySplit(Buffer.from('hello\n')))('echoes a request cut anywhere (%#), upper-cased, then closes', async (first, second) => {
    const result = await tcp([first, second]);
    expect(result.sent.toString()).toBe('HELLO');
    expect(result.closed).toBe('end');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'echoed' });
  });

  it('sends file_prepared then exactly n bytes of A, with no delimiter', async () => {
    const result = await tcp([Buffer.from('200000\n')]);
    expect(result.sent.subarray(0, 13)).toEqual(FILE_PREPARED);
    expect(result.sent.length).toBe(13 + 200_000);
    expect(result.sent.subarray(13).every((byte) => byte === 0x41)).toBe(true);
    expect(result.states).toEqual(['client_connect', 'check_request', 'sending_file.sending', 'request_complete']);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'sent', bytes: 200_000 });
  });

  it('streams count segments, one per interval', async () => {
    const early = await tcp([Buffer.from('stream-10-3-5\n'), { wait: 10 }, { wait: 9 }]);
    expect(early.sent.toString()).toBe('AAAAA');
    const result = await tcp([Buffer.from('stream-10-3-5\n'), { wait: 10 }, { wait: 10 }, { wait: 10 }]);
    expect(result.sent.toString()).toBe('A'.repeat(15));
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'streamed', bytes: 15 });
  });

  it('answers requests the original left unanswered with one line', async () => {
    expect((await tcp([Buffer.from('-3\n')])).sent.toString()).toBe('Error: a file size is a positive number of chars');
    expect((await tcp([Buffer.from('123456790\n')])).sent.toString()).toBe('Request for file of 123456790 chars. Server limit is: 123456790 chars.');
    expect((await tcp([PEER_ENDS])).sent.toString()).toBe('Error: empty request');
  });
});

describe('UDP server', () => {
  it('answers each datagram of a peer: echo, then a file in paced datagrams of at most 1120 bytes', async () => {
    const result = await udp([Buffer.from('hi'), Buffer.from('3000'), { wait: 1 }, PEER_ENDS]);
    expect(result.sent.toString('utf8', 0, 2)).toBe('HI');
    expect(result.sent.subarray(2, 15)).toEqual(FILE_PREPARED);
    expect(result.sent.length).toBe(2 + 13 + 3000);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'served', detail: '2 request(s)' });
  });
});

describe('clients', () => {
  it('TCP: counts a file split by length from file_prepared, keeping only the first bytes', async () => {
    const data = Buffer.alloc(100_000, 'A');
    const result = await replay(ardeiTcpClient({ request: '100000', keep: 64 }), [Buffer.concat([FILE_PREPARED, data.subarray(0, 10)]), data.subarray(10), PEER_ENDS]);
    expect(result.sent.toString()).toBe('100000\n');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'received', bytes: 13 + 100_000 });
  });

  it('UDP: stops when everything asked for has come, or after a silence', async () => {
    const all = await replay(ardeiUdpClient({ request: '2000', keep: 64, silenceMs: 2000 }), [FILE_PREPARED, Buffer.alloc(1120, 'A'), Buffer.alloc(880, 'A')]);
    expect(all.outcome).toMatchObject({ outcome: 'received', bytes: 2000 });
    const lossy = await replay(ardeiUdpClient({ request: '2000', keep: 64, silenceMs: 2000 }), [FILE_PREPARED, Buffer.alloc(1120, 'A'), { wait: 2000 }]);
    expect(lossy.outcome).toMatchObject({ outcome: 'received', bytes: 1120, detail: 'stopped after a silence' });
    const echo = await replay(ardeiUdpClient({ request: 'hi', keep: 64, silenceMs: 2000 }), [Buffer.from('HI')]);
    expect(echo.outcome).toMatchObject({ outcome: 'received', bytes: 2 });
  });
});

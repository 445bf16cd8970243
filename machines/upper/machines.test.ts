/** The `upper` machines driven by scripted bytes (no sockets): the reply, the states, where a request ends. */
import { PEER_ENDS, replay } from '../../src/engine/replay';
import { encodeSentence, upperCased } from './codec';
import { upperClient, upperServer } from '.';
import { everySplit } from '../../src/test-support/cuts';

const server = (inputs: Parameters<typeof replay>[1], maxRequest = 2048) =>
  replay(upperServer({ maxRequest }).accept('c1'), inputs);
const request = encodeSentence('Hello World!');

describe('codec', () => {
  it('upper-cases any Unicode text and ends a request with one newline', () => {
    expect(upperCased('straße ünd ça').toString()).toBe('STRASSE ÜND ÇA');
    expect(encodeSentence('hi').toString()).toBe('hi\n');
  });
});

describe('upper server', () => {
  it.each(everySplit(request))(
    'answers the line upper-cased at its newline, however it is cut (%#), without waiting for the client to close',
    async (first, second) => {
      const result = await server([first, second]);
      expect(result.sent.toString()).toBe('HELLO WORLD!');
      expect(result.states).toEqual(['client_connect', 'send_reply', 'request_complete']);
      expect(result.closed).toBe('end');
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'replied', bytes: 12 });
    },
  );

  it('takes a started request at the end of a quiet period as long as the idle timeout, which only a silent client meets', async () => {
    const spec = () => upperServer({ maxRequest: 2048, idleTimeoutMs: 1000, quietMs: 1000 }).accept('c1');
    const started = await replay(spec(), [Buffer.from('abc'), { wait: 1000 }]);
    expect(started.sent.toString()).toBe('ABC');
    expect(started.outcome).toMatchObject({ ok: true, outcome: 'replied' });
    const silent = await replay(spec(), [{ wait: 1000 }]);
    expect(silent.outcome).toMatchObject({ ok: false, outcome: 'timed_out', code: 'peer.idle' });
  });

  it('takes a request without a newline once the client ends its side', async () => {
    const result = await server([Buffer.from('no newline'), PEER_ENDS]);
    expect(result.sent.toString()).toBe('NO NEWLINE');
  });

  it('takes a request without a newline after 50 ms of quiet (the originals keep their side open)', async () => {
    const early = await server([Buffer.from('keeps open'), { wait: 49 }]);
    expect(early.sent.length).toBe(0);
    const result = await server([Buffer.from('keeps'), { wait: 40 }, Buffer.from(' open'), { wait: 40 }, { wait: 10 }]);
    expect(result.sent.toString()).toBe('KEEPS OPEN');
  });

  it('stops reading at the size cap and answers what it has', async () => {
    const result = await server([Buffer.from('abcdefghij')], 4);
    expect(result.sent.toString()).toBe('ABCD');
  });

  it('strips a CR before the newline (telnet, Windows clients)', async () => {
    const result = await server([Buffer.from('crlf\r\n')]);
    expect(result.sent.toString()).toBe('CRLF');
  });

  it('answers an empty line with nothing and closes cleanly', async () => {
    const result = await server([Buffer.from('\n')]);
    expect(result.sent.length).toBe(0);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'replied' });
  });

  it('times out a client that sends nothing', async () => {
    const result = await server([{ wait: 30_000 }]);
    expect(result.closed).toBe('reset');
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'timed_out' });
  });
});

describe('upper client', () => {
  const client = (inputs: Parameters<typeof replay>[1], maxReply = 1024) =>
    replay(upperClient({ lines: ['Hello World!'], maxReply }), inputs);

  it('sends its line with a newline, ends its side and reads the reply until the server closes', async () => {
    const result = await client([Buffer.from('HELLO '), Buffer.from('WORLD!'), PEER_ENDS]);
    expect(result.sent).toEqual(request);
    expect(result.states).toEqual(['send_request', 'wait_reply', 'reply_received']);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'replied', bytes: 12 });
  });

  it('gives up on a reply over its cap', async () => {
    const result = await client([Buffer.alloc(2000)], 1024);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'interrupted' });
  });

  it('reports a broken connection and a silent server', async () => {
    expect((await client([{ error: 'ECONNRESET' }])).outcome).toMatchObject({
      outcome: 'interrupted',
      detail: 'the connection was reset by the other side (ECONNRESET)',
    });
    expect((await client([{ wait: 30_000 }])).outcome).toMatchObject({ outcome: 'timed_out' });
  });
});

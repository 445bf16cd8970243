/** The `sum` machines driven by scripted bytes (no sockets): replies, states, and the stop request. */
import { PEER_ENDS, replay, type ReplayInput } from '../../src/engine/replay';
import { checkNumber, encodeNameAndNumber, nameProblem, parseSumReply } from './codec';
import { sumClient, sumServer } from '.';
import { everySplit } from '../../src/test-support/cuts';

const server = (inputs: ReplayInput[]) =>
  replay(sumServer({ serverName: 'Server of Q', serverNumber: 17, maxRequest: 1024 }).accept('c1'), inputs);
const request = encodeNameAndNumber('Alice', 42);

describe('codec', () => {
  it('tells numbers in range, out of range, and not numbers apart', () => {
    expect(checkNumber('42')).toEqual({ kind: 'in_range', value: 42 });
    expect(checkNumber(' 1 ')).toEqual({ kind: 'in_range', value: 1 });
    expect(checkNumber('100')).toEqual({ kind: 'in_range', value: 100 });
    expect(checkNumber('0')).toEqual({ kind: 'out_of_range', value: 0 });
    expect(checkNumber('-5')).toEqual({ kind: 'out_of_range', value: -5 });
    expect(checkNumber('101')).toEqual({ kind: 'out_of_range', value: 101 });
    expect(checkNumber('4.5')).toEqual({ kind: 'not_integer' });
    expect(checkNumber('')).toEqual({ kind: 'not_integer' });
    expect(checkNumber('abc')).toEqual({ kind: 'not_integer' });
  });

  it('round-trips an answer and reads an error line', () => {
    expect(parseSumReply(encodeNameAndNumber('Zoë', 7))).toEqual({ kind: 'answer', name: 'Zoë', value: 7 });
    expect(parseSumReply(Buffer.from('ERR out of range\n'))).toEqual({ kind: 'error', reason: 'out of range' });
    expect(parseSumReply(Buffer.from('just one line'))).toEqual({ kind: 'malformed' });
  });

  it('refuses names the protocol cannot carry', () => {
    expect(nameProblem('Alice')).toBeUndefined();
    expect(nameProblem('two\nlines')).toBeDefined();
    expect(nameProblem('ERR x')).toBeDefined();
  });
});

describe('sum server', () => {
  it.each(everySplit(request))(
    'answers with its name and number once both lines are in, however they are cut (%#)',
    async (first, second) => {
      const result = await server([first, second]);
      expect(result.sent.toString()).toBe('Server of Q\n17\n');
      expect(result.states).toEqual(['client_connect', 'check_number', 'send_reply', 'request_complete']);
      expect(result.closed).toBe('end');
      // The reply's bytes, so the log's last line does not read 'replied: 0 B'.
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'replied', bytes: 'Server of Q\n17\n'.length });
      expect(result.outcome?.stopServer).toBe(false);
    },
  );

  it('waits for the second line rather than answering the first', async () => {
    const result = await server([Buffer.from('Alice\n')]);
    expect(result.sent.length).toBe(0);
    expect(result.states).toEqual(['client_connect']);
  });

  it('takes a number without its newline when the client ends its side or goes quiet', async () => {
    expect((await server([Buffer.from('Alice\n42'), PEER_ENDS])).sent.toString()).toBe('Server of Q\n17\n');
    expect((await server([Buffer.from('Alice\n42'), { wait: 50 }])).sent.toString()).toBe('Server of Q\n17\n');
  });

  it.each(['0', '101', '-3'])('answers %s with an error line and asks the server to stop', async (number) => {
    const result = await server([Buffer.from(`Eve\n${number}\n`)]);
    expect(result.sent.toString()).toBe(`ERR ${number} is not an integer from 1 to 100; the server stops\n`);
    expect(result.states).toEqual(['client_connect', 'check_number', 'stop_server', 'server_stopped']);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'stopped', stopServer: true });
  });

  it('refuses text that is not a number, and keeps the server running', async () => {
    const result = await server([Buffer.from('Eve\nlots\n')]);
    expect(result.sent.toString()).toBe('ERR the number must be an integer from 1 to 100\n');
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'refused', stopServer: false });
  });

  it('does not stop for a client that connects and leaves without a word', async () => {
    const result = await server([PEER_ENDS]);
    expect(result.outcome).toMatchObject({ outcome: 'refused', stopServer: false });
  });
});

describe('sum client', () => {
  const client = (inputs: ReplayInput[]) => replay(sumClient({ lines: ['Alice', '42'], maxReply: 1024 }), inputs);

  it('sends its name and number and reads the answer', async () => {
    const result = await client([Buffer.from('Server of Q\n17\n'), PEER_ENDS]);
    expect(result.sent).toEqual(request);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'replied' });
  });

  it('takes an error line as a refusal, with its reason', async () => {
    const result = await client([Buffer.from('ERR 0 is not an integer from 1 to 100; the server stops\n'), PEER_ENDS]);
    expect(result.states).toEqual(['send_request', 'wait_reply', 'reply_refused']);
    expect(result.outcome).toMatchObject({
      ok: false,
      outcome: 'refused',
      detail: '0 is not an integer from 1 to 100; the server stops',
    });
  });
});

/**
 * The queue's stored confirmation on both machines, with no socket and a simulated clock (replay.ts):
 * the offer after the server's silence, the client's fallback after its wait, and the tokens read the
 * same however the stream is cut.
 */
import { replay, PEER_ENDS, type ReplayInput } from '../../src/engine/replay';
import { queueClient, queueServer } from './connections';
import { MessageQueue } from './message-queue';
import { CANNOT_CONFIRM } from './confirm-client-states';
import { SETTLE_MS } from './confirm-server-states';
import { OFFER_AFTER_MS, OFFER_TOKEN, OFFER_WAIT_MS, SEND_TOKEN, STORED_TOKEN } from './store-confirmation';

const MESSAGE = Buffer.from('This is message one. I am 41 characters.\n');
const client = () => queueClient('tcp', { mode: 'send', maxMessage: 1024, offerWaitMs: OFFER_WAIT_MS }, MESSAGE);
const server = (queue = new MessageQueue()) =>
  queueServer(queue, 'tcp', { maxMessage: 1024, offerAfterMs: OFFER_AFTER_MS }).accept('c1');

/** `bytes` cut in two at `at` (an empty piece left out). */
const cutAt = (bytes: Buffer, at: number): Buffer[] =>
  [bytes.subarray(0, at), bytes.subarray(at)].filter((b) => b.length);
const offsets = (bytes: Buffer) => Array.from({ length: bytes.length + 1 }, (_, at) => at);

describe('client', () => {
  const replies = Buffer.concat([OFFER_TOKEN, STORED_TOKEN]);
  it.each(offsets(replies))('takes the offer and the stored reply cut at byte %i: sent, confirmed', async (at) => {
    const result = await replay(client(), [...cutAt(replies, at), PEER_ENDS]);
    expect(result.sent).toEqual(Buffer.concat([SEND_TOKEN, MESSAGE]));
    expect(result.states).toEqual(['wait_offer', 'send_confirmed_message', 'wait_stored_reply', 'message_sent']);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'sent', detail: 'stored: the server confirmed it' });
  });

  it('an offer, then the close without the stored reply: not stored', async () => {
    const result = await replay(client(), [OFFER_TOKEN, PEER_ENDS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'not_stored', code: 'peer.ended_early' });
  });

  it('no offer within the wait: the message goes plainly and the client says the server cannot confirm', async () => {
    const result = await replay(client(), [{ wait: OFFER_WAIT_MS }, PEER_ENDS]);
    expect(result.sent).toEqual(MESSAGE);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'sent', detail: CANNOT_CONFIRM });
  });

  it('an offer that comes after the wait is read and ignored: the plain close still means kept', async () => {
    const result = await replay(client(), [{ wait: OFFER_WAIT_MS }, ...cutAt(OFFER_TOKEN, 5), PEER_ENDS]);
    expect(result.sent).toEqual(MESSAGE);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'sent' });
  });

  it('bytes that are not an offer are a protocol error, and nothing is sent', async () => {
    const result = await replay(client(), [Buffer.from('<<stored>>'), PEER_ENDS]);
    expect(result.sent).toEqual(Buffer.alloc(0));
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'protocol_error' });
  });
});

describe('server', () => {
  const request = Buffer.concat([SEND_TOKEN, MESSAGE]);
  it.each(offsets(request))(
    'after the offer, a send token and message cut at byte %i: kept, then confirmed',
    async (at) => {
      const queue = new MessageQueue();
      const inputs: ReplayInput[] = [{ wait: OFFER_AFTER_MS }, { wait: SETTLE_MS }, ...cutAt(request, at), PEER_ENDS];
      const result = await replay(server(queue), inputs);
      expect(result.sent).toEqual(Buffer.concat([OFFER_TOKEN, STORED_TOKEN]));
      expect(result.states).toEqual(['client_connect', 'offered', 'receiving_message', 'enqueue', 'confirm_stored']);
      expect(queue.take()?.bytes).toEqual(MESSAGE);
    },
  );

  it('a client that speaks within the silence is never offered anything: the seed, byte for byte', async () => {
    const result = await replay(server(), [MESSAGE, { wait: OFFER_AFTER_MS }, PEER_ENDS]);
    expect(result.sent).toEqual(Buffer.alloc(0));
    expect(result.states).toEqual(['client_connect', 'receiving_message', 'enqueue', 'message_stored']);
  });

  it('a GET that comes after the silence but before the offer is written gets no offer in its reply', async () => {
    const result = await replay(server(), [
      { wait: OFFER_AFTER_MS },
      Buffer.from('<<GET>>'),
      { wait: SETTLE_MS },
      PEER_ENDS,
    ]);
    expect(result.sent).toEqual(Buffer.from('Error - no messages in queue.'));
  });

  it('a GET after the offer is served as the seed serves it', async () => {
    const result = await replay(server(), [
      { wait: OFFER_AFTER_MS },
      { wait: SETTLE_MS },
      Buffer.from('<<GET>>'),
      PEER_ENDS,
    ]);
    expect(result.sent).toEqual(Buffer.concat([OFFER_TOKEN, Buffer.from('Error - no messages in queue.')]));
  });
});

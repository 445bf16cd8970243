/**
 * The queue sessions `npm run fixtures` records, one per path of the machines
 * over each transport, the TCP send's stored confirmation included (a confirmed
 * send, one refused over the cap, and a `--confirm` send to a server that does
 * not offer). fixtures.test.ts replays each.
 */
import type { FixturePeer, FixtureScenario } from '../fixture-scenario';
import { GET } from './codec';
import { queueClient, queueServer, type Transport } from './connections';
import { MemoryKeeper } from './message-keeper';
import { MessageQueue } from './message-queue';
import { OFFER_AFTER_MS, OFFER_WAIT_MS } from './store-confirmation';
import type { QueueClientInput } from './tcp-client';

const MESSAGE = Buffer.from('This is message one. I am 41 characters.\n');
const send: QueueClientInput = { mode: 'send', maxMessage: 3000 };
const receive: QueueClientInput = { mode: 'receive', maxMessage: 3000 };

/**
 * A `send --confirm`: it waits up to this long for the offer, far longer than any load delays a server's
 * OFFER_AFTER_MS, so a recording against an offering server always takes the offer.
 */
const confirmedSend: QueueClientInput = { ...send, offerWaitMs: 5000 };
/** The same with the CLI's wait, against a server that never offers: it falls back to the plain send. */
const unconfirmedSend: QueueClientInput = { ...send, offerWaitMs: OFFER_WAIT_MS };

/**
 * A queue server over `transport` holding `waiting`, its messages capped at `maxMessage` bytes, offering the
 * stored confirmation when `offers` (`queue server --offer-confirmation`).
 */
const scenario = (
  name: string,
  transport: Transport,
  run: (peer: FixturePeer) => Promise<unknown>,
  { waiting = [] as Buffer[], maxMessage = 3000, offers = false } = {},
): FixtureScenario => ({
  name: `${transport}-${name}`,
  transport,
  server: () =>
    queueServer(new MessageQueue(new MemoryKeeper(waiting)), transport, {
      maxMessage,
      ...(offers && { offerAfterMs: OFFER_AFTER_MS }),
    }),
  run,
});

const client = (transport: Transport, input: QueueClientInput, message?: Buffer) => (peer: FixturePeer) =>
  peer.client(queueClient(transport, input, message));

export const queueFixtures: FixtureScenario[] = [
  scenario('send-ok', 'tcp', client('tcp', send, MESSAGE)),
  scenario('receive-ok', 'tcp', client('tcp', receive), { waiting: [MESSAGE] }),
  scenario('receive-empty', 'tcp', client('tcp', receive)),
  scenario('send-over-cap', 'tcp', client('tcp', send, MESSAGE), { maxMessage: 10 }),
  scenario('send-nothing', 'tcp', async (peer) => peer.send('')),
  scenario('send-confirmed', 'tcp', client('tcp', confirmedSend, MESSAGE), { offers: true }),
  scenario('send-confirmed-over-cap', 'tcp', client('tcp', confirmedSend, MESSAGE), { offers: true, maxMessage: 10 }),
  scenario('send-confirm-no-offer', 'tcp', client('tcp', unconfirmedSend, MESSAGE)),
  scenario('send-ok', 'udp', client('udp', send, MESSAGE)),
  scenario('receive-ok', 'udp', client('udp', receive), { waiting: [MESSAGE] }),
  scenario('receive-empty', 'udp', client('udp', receive)),
  scenario(
    'peer-session',
    'udp',
    (peer) => peer.datagrams(Buffer.from('one'), Buffer.from('two'), Buffer.alloc(101), GET, GET, GET),
    { maxMessage: 100 },
  ),
];

/**
 * The queue sessions `npm run fixtures` records, one per path of the machines
 * over each transport. fixtures.test.ts replays each.
 */
import type { FixturePeer, FixtureScenario } from '../fixture-scenario';
import { GET } from './codec';
import { queueClient, queueServer, type Transport } from './connections';
import { MemoryKeeper } from './message-keeper';
import { MessageQueue } from './message-queue';
import type { QueueClientInput } from './tcp-client';

const MESSAGE = Buffer.from('This is message one. I am 41 characters.\n');
const send: QueueClientInput = { mode: 'send', maxMessage: 3000 };
const receive: QueueClientInput = { mode: 'receive', maxMessage: 3000 };

/** A queue server over `transport` holding `waiting`, its messages capped at `maxMessage` bytes. */
const scenario = (
  name: string,
  transport: Transport,
  run: (peer: FixturePeer) => Promise<unknown>,
  { waiting = [] as Buffer[], maxMessage = 3000 } = {},
): FixtureScenario => ({
  name: `${transport}-${name}`,
  transport,
  server: () => queueServer(new MessageQueue(new MemoryKeeper(waiting)), transport, { maxMessage }),
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

/** Ardei (seed 000) as the loop runs it, over TCP and UDP: servers per connection or peer, a client per request. */
import { fromPromise, type ActorRefFrom } from 'xstate';
import { required } from '../../src/engine/required';
import { AddressBudget } from '../../src/engine/address-budget';
import { ChunkReader } from '../../src/engine/chunk-reader';
import { DatagramReader } from '../../src/engine/datagram-reader';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { TextRequestReader } from '../../src/engine/text-request-reader';
import { downloadFolder, type DownloadFolder } from '../../src/storage/download-folder';
import { textTraceSupport } from '../../src/trace/text-trace-support';
import { CannotReplay } from '../../src/trace/trace-support';
import { tracedBytes } from '../../src/trace/trace-format';
import { worldFromReplies } from './advanced-trace-world';
import { advancedClientActors, advancedServerActors } from './advanced-actors';
import { ardeiAdvancedClientMachine, type AdvancedClientInput } from './advanced-client';
import { AdvancedReplyReader, AdvancedRequestReader } from './advanced-readers';
import { ardeiAdvancedServerMachine, type AdvancedFiles, type AdvancedServerInput } from './advanced-server';
import { createArdeiTcpClient, type ArdeiClientInput } from './tcp-client';
import { createArdeiTcpServer, type ArdeiServerInput } from './tcp-server';
import { createArdeiUdpClient, type ArdeiUdpClientInput } from './udp-client';
import { createArdeiUdpServer, type ArdeiUdpServerInput } from './udp-server';
import { SAMPLE_FOLDER, type FixtureScenario } from '../fixture-scenario';
import type { ProtocolDescriptor } from '../protocol-descriptor';
import { ARDEI_MAX_REQUEST, ARDEI_TCP_PORT, ARDEI_UDP_PORT } from './codec';
import { ADVANCED_MAX_COMMAND, ADVANCED_PORT } from './advanced-codec';
import { ARDEI_UDP_DEFAULTS, ARDEI_UDP_MAX_RATE } from './udp-server';
import { extended } from '../../src/engine/extended';

/** UDP keeps empty datagrams: an empty request gets its error reply. */
const datagrams = () => new DatagramReader((bytes) => ({ type: 'frame.bytes' as const, bytes }));

export function ardeiTcpServer(input: ArdeiServerInput): StreamProtocol {
  const logic = createArdeiTcpServer();
  return { name: 'ardei', accept: () => ({ logic, input, decoder: new TextRequestReader(1, input.maxRequest, true) }) };
}

/**
 * `maxRate`: bytes a second all peers of one address may be sent in files and streams together (0: no
 * limit). A trace replays without it: a refusal for the rate depends on the clock, not on the bytes.
 */
export function ardeiUdpServer(input: ArdeiUdpServerInput, maxRate = 0): StreamProtocol {
  const logic = createArdeiUdpServer();
  const budget = maxRate > 0 ? new AddressBudget(maxRate) : undefined;
  const budgeted = (address: string) =>
    logic.provide({
      actors: {
        reserve: fromPromise<boolean, number>(async ({ input: bytes }) =>
          required(budget, 'rate budget').take(address, bytes),
        ),
      },
    });
  return {
    name: 'ardei-udp',
    accept: (_id, address) => ({ logic: budget && address ? budgeted(address) : logic, input, decoder: datagrams() }),
  };
}

export const ardeiTcpClient = (input: ArdeiClientInput): ConnectionSpec => ({
  logic: createArdeiTcpClient(),
  input,
  decoder: new ChunkReader(),
});

export const ardeiUdpClient = (input: ArdeiUdpClientInput): ConnectionSpec => ({
  logic: createArdeiUdpClient(),
  input,
  decoder: datagrams(),
});

/** What `wirestate replay`, the fixture tests and the inspector need: every machine is rebuilt from its input alone. */
export const ardeiTraceSupport = (transport: 'tcp' | 'udp') =>
  textTraceSupport({
    server: (trace) =>
      (transport === 'tcp'
        ? ardeiTcpServer(trace.header.input as ArdeiServerInput)
        : ardeiUdpServer(trace.header.input as ArdeiUdpServerInput)
      ).accept(trace.header.connection),
    client: (trace) =>
      transport === 'tcp'
        ? ardeiTcpClient(trace.header.input as ArdeiClientInput)
        : ardeiUdpClient(trace.header.input as ArdeiUdpClientInput),
    machines:
      transport === 'tcp'
        ? { server: createArdeiTcpServer(), client: createArdeiTcpClient() }
        : { server: createArdeiUdpServer(), client: createArdeiUdpClient() },
    inputs:
      transport === 'tcp'
        ? { server: { maxRequest: 'number' }, client: { request: 'string', keep: 'number' } }
        : {
            server: { burst: 'number', paceMs: 'number', maxReply: 'number' },
            client: { request: 'string', keep: 'number', silenceMs: 'number' },
          },
  });

export type AdvancedServerOptions = Omit<AdvancedServerInput, 'owner'>;

export function ardeiAdvancedServer(files: AdvancedFiles, options: AdvancedServerOptions): StreamProtocol {
  const logic = ardeiAdvancedServerMachine.provide({ actors: advancedServerActors(files) });
  return {
    name: 'ardei-advanced',
    accept: (connectionId) => ({
      logic,
      input: extended(options, { owner: connectionId }),
      decoder: new AdvancedRequestReader(options.maxRequest),
      release: () => files.release(connectionId),
    }),
  };
}

export const ardeiAdvancedClient = (folder: DownloadFolder, input: AdvancedClientInput): ConnectionSpec => ({
  logic: ardeiAdvancedClientMachine.provide({ actors: advancedClientActors(folder) }),
  input,
  decoder: new AdvancedReplyReader(),
});

/**
 * Trace support of the advanced variant. A server trace replays against the
 * folder its replies reveal; a client trace cannot replay, since its commands
 * came from a person at the prompt, not from the wire.
 */
export const ardeiAdvancedTraceSupport = () =>
  textTraceSupport({
    server: (trace) => {
      const { owner: _owner, ...options } = trace.header.input as AdvancedServerInput;
      return ardeiAdvancedServer(worldFromReplies(tracedBytes(trace, 'out')), options).accept(trace.header.connection);
    },
    client: () => {
      throw new CannotReplay(
        'an advanced client trace cannot be replayed: its commands came from the prompt, not the wire',
      );
    },
    machines: { server: ardeiAdvancedServerMachine, client: ardeiAdvancedClientMachine },
    inputs: { server: { owner: 'string', maxRequest: 'number' }, client: {} },
  });

/**
 * The sessions `npm run fixtures` records over TCP. Replay has no clock, so nothing here may wait on one:
 * each request ends with a newline (as a person types it; the original client's bare request ends after
 * the quiet period), the server sends the data right after file_prepared, and streams (a wait per
 * segment) are tested in machines.test.ts. The advanced client is given its commands one at a time, as
 * its prompt would; its trace is not kept, since it could not be replayed from the wire.
 */
const fixtures: FixtureScenario[] = [
  ...Object.entries({ echo: 'Hello ardei', file: '3000', 'over-limit': '123456790', negative: '-5' }).map(
    ([name, request]): FixtureScenario => ({
      name,
      server: () => ardeiTcpServer({ maxRequest: 2048, preparedGapMs: 0 }),
      run: (peer) => peer.client(ardeiTcpClient({ request: `${request}\n`, keep: 65536 })),
    }),
  ),
  {
    name: 'session',
    folder: 'ardei-advanced',
    files: SAMPLE_FOLDER,
    server: (files) => ardeiAdvancedServer(files, { maxRequest: 2048 }),
    run: (peer) => {
      const commands = ['ls', 'chdir docs', 'ls', 'dl a.txt', 'chdir ../..', 'dl nope', 'chdir nowhere', 'bogus'];
      let given = 0;
      const prompt = (actor: ActorRefFrom<typeof ardeiAdvancedClientMachine>) =>
        actor.subscribe((snapshot) => {
          if (snapshot.status === 'active' && snapshot.matches('ready') && snapshot.context.replies === given)
            actor.send({ type: 'user.command', text: commands[given++] ?? 'quit' });
        });
      return peer.client(ardeiAdvancedClient(downloadFolder(peer.local), {}), {
        traced: false,
        watch: (actor) => prompt(actor as ActorRefFrom<typeof ardeiAdvancedClientMachine>),
      });
    },
  },
];

export const ardeiProtocol: ProtocolDescriptor = {
  name: 'ardei',
  servers: [
    {
      transport: 'tcp',
      port: ARDEI_TCP_PORT,
      protocol: ({ idleTimeoutMs, quietMs }) =>
        ardeiTcpServer({ idleTimeoutMs, quietMs, maxRequest: ARDEI_MAX_REQUEST }),
    },
    { transport: 'udp', port: ARDEI_UDP_PORT, protocol: () => ardeiUdpServer(ARDEI_UDP_DEFAULTS, ARDEI_UDP_MAX_RATE) },
    {
      transport: 'tcp',
      port: ADVANCED_PORT,
      servesFolder: true,
      protocol: ({ files, idleTimeoutMs }) =>
        ardeiAdvancedServer(files, { idleTimeoutMs, maxRequest: ADVANCED_MAX_COMMAND }),
    },
  ],
  traces: {
    ardei: ardeiTraceSupport('tcp'),
    'ardei-udp': ardeiTraceSupport('udp'),
    'ardei-advanced': ardeiAdvancedTraceSupport(),
  },
  fixtures,
};

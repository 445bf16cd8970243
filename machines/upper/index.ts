/** The lab's `upper` exercise (seed 003) as the loop runs it: a server per connection, a client per run. */
import { ChunkReader } from '../../src/engine/chunk-reader';
import { TextRequestReader } from '../../src/engine/text-request-reader';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { createTextClient, type TextClientInput } from '../../src/engine/text-client';
import { TEXT_CLIENT_INPUTS, textTraceSupport } from '../../src/trace/text-trace-support';
import { createUpperServer, type UpperServerInput } from './server';
import { TEXT_CLIENT_EXITS } from '../../src/engine/exit-codes';
import type { FixtureScenario } from '../fixture-scenario';
import type { ProtocolDescriptor } from '../protocol-descriptor';
import { UPPER_MAX_REQUEST, UPPER_PORT } from './codec';

export const upperMachines = () => ({ server: createUpperServer(), client: createTextClient('upper-client') });

export function upperServer(input: UpperServerInput): StreamProtocol {
  const logic = createUpperServer();
  return { name: 'upper', accept: () => ({ logic, input, decoder: new TextRequestReader(1, input.maxRequest) }) };
}

export function upperClient(input: TextClientInput): ConnectionSpec {
  return { logic: createTextClient('upper-client'), input, decoder: new ChunkReader() };
}

/** What `wirestate replay`, the fixture tests and the inspector need: the machines rebuilt from a trace's input. */
export const upperTraceSupport = () =>
  textTraceSupport({
    server: (trace) => upperServer(trace.header.input as UpperServerInput).accept(trace.header.connection),
    client: (trace) => upperClient(trace.header.input as TextClientInput),
    machines: upperMachines(),
    inputs: { server: { maxRequest: 'number' }, client: TEXT_CLIENT_INPUTS },
  });

const fixtureServer = () => upperServer({ maxRequest: 2048 });

/** The sessions `npm run fixtures` records: a client's line, and raw peers ending without a newline and with CRLF. */
const fixtures: FixtureScenario[] = [
  {
    name: 'ok',
    server: fixtureServer,
    run: (peer) => peer.client(upperClient({ lines: ['Hello World!'], maxReply: 8192 })),
  },
  { name: 'no-newline-then-end', server: fixtureServer, run: (peer) => peer.send('ended without a newline') },
  { name: 'crlf', server: fixtureServer, run: (peer) => peer.send('telnet style\r\n') },
];

export const upperProtocol: ProtocolDescriptor = {
  name: 'upper',
  servers: [
    {
      transport: 'tcp',
      port: UPPER_PORT,
      protocol: ({ idleTimeoutMs, quietMs }) => upperServer({ idleTimeoutMs, quietMs, maxRequest: UPPER_MAX_REQUEST }),
    },
  ],
  traces: { upper: upperTraceSupport() },
  exitCodes: TEXT_CLIENT_EXITS,
  fixtures,
};

/** The lab's `sum` exercise (seed 003) as the loop runs it: a server per connection, a client per run. */
import { ChunkReader } from '../../src/engine/chunk-reader';
import { TextRequestReader } from '../../src/engine/text-request-reader';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { createTextClient, type TextClientInput } from '../../src/engine/text-client';
import { TEXT_CLIENT_INPUTS, textTraceSupport } from '../../src/trace/text-trace-support';
import { parseSumReply } from './codec';
import { createSumServer, type SumServerInput } from './server';
import { randomInt } from 'node:crypto';
import { TEXT_CLIENT_EXITS } from '../../src/engine/exit-codes';
import type { FixtureScenario } from '../fixture-scenario';
import type { ProtocolDescriptor } from '../protocol-descriptor';
import { HIGHEST, LOWEST, SUM_MAX_REQUEST, SUM_PORT } from './codec';

/** An `ERR` reply is a refusal; its reason is the detail. */
const refusal = (reply: Buffer) => {
  const parsed = parseSumReply(reply);
  return parsed.kind === 'error' ? parsed.reason : undefined;
};

export const sumMachines = () => ({ server: createSumServer(), client: createTextClient('sum-client', refusal) });

export function sumServer(input: SumServerInput): StreamProtocol {
  const logic = createSumServer();
  return { name: 'sum', accept: () => ({ logic, input, decoder: new TextRequestReader(2, input.maxRequest) }) };
}

export function sumClient(input: TextClientInput): ConnectionSpec {
  return { logic: createTextClient('sum-client', refusal), input, decoder: new ChunkReader() };
}

/** What `wirestate replay`, the fixture tests and the inspector need: the machines rebuilt from a trace's input. */
export const sumTraceSupport = () =>
  textTraceSupport({
    server: (trace) => sumServer(trace.header.input as SumServerInput).accept(trace.header.connection),
    client: (trace) => sumClient(trace.header.input as TextClientInput),
    machines: sumMachines(),
    inputs: {
      server: { serverName: 'string', serverNumber: 'number', maxRequest: 'number' },
      client: TEXT_CLIENT_INPUTS,
    },
  });

const fixtureServer = () => sumServer({ serverName: 'Server of wirestate', serverNumber: 17, maxRequest: 2048 });

/** The sessions `npm run fixtures` records: a sum, a number out of range, and a raw peer's word for a number. */
const fixtures: FixtureScenario[] = [
  {
    name: 'ok',
    server: fixtureServer,
    run: (peer) => peer.client(sumClient({ lines: ['Alice', '42'], maxReply: 1024 })),
  },
  {
    name: 'out-of-range-stops',
    server: fixtureServer,
    run: (peer) => peer.client(sumClient({ lines: ['Eve', '0'], maxReply: 1024 })),
  },
  { name: 'not-a-number', server: fixtureServer, run: (peer) => peer.send('Eve\nlots\n') },
];

export const sumProtocol: ProtocolDescriptor = {
  name: 'sum',
  servers: [
    {
      transport: 'tcp',
      port: SUM_PORT,
      protocol: ({ idleTimeoutMs, quietMs }) =>
        sumServer({
          idleTimeoutMs,
          quietMs,
          serverName: 'Server of wirestate',
          serverNumber: randomInt(LOWEST, HIGHEST + 1),
          maxRequest: SUM_MAX_REQUEST,
        }),
    },
  ],
  traces: { sum: sumTraceSupport() },
  exitCodes: TEXT_CLIENT_EXITS,
  fixtures,
};

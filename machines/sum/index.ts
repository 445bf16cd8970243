/** The lab's `sum` exercise (seed 003) as the loop runs it: a server per connection, a client per run. */
import { ChunkReader } from '../../src/engine/chunk-reader';
import { TextRequestReader } from '../../src/engine/text-request-reader';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { createTextClient, type TextClientInput } from '../../src/engine/text-client';
import { textTraceSupport } from '../../src/trace/text-trace-support';
import { parseSumReply } from './codec';
import { createSumServer, type SumServerInput } from './server';

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
  });

/** The share protocol (seed 004) as the loop runs it: a server per connection, a client per run, and its trace support. */
import { TextRequestReader } from '../../src/engine/text-request-reader';
import type { ConnectionSpec, StreamProtocol } from '../../src/engine/protocol';
import { readLines } from '../../src/engine/text-request';
import { MemoryFiles } from '../../src/storage/memory-files';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { textTraceSupport, tracedBytes } from '../../src/trace/text-trace-support';
import { createShareClient, type ShareClientInput, type ShareLocalFile } from './client';
import { CANCEL, PASS, parseListing, parseShareRequest } from './codec';
import { ShareReplyReader } from './reply-reader';
import { createShareServer, type ShareFiles, type ShareServerInput } from './server';

export type ShareServerOptions = Omit<ShareServerInput, 'owner'>;

export function shareServer(files: ShareFiles, options: ShareServerOptions): StreamProtocol {
  const logic = createShareServer(files);
  return { name: 'share', accept: (connectionId) => ({ logic, input: { ...options, owner: connectionId }, decoder: new TextRequestReader(1, options.maxRequest) }) };
}

export function shareClient(local: ShareLocalFile, input: ShareClientInput): ConnectionSpec {
  return { logic: createShareClient(local), input, decoder: new ShareReplyReader(input.command === 'list' ? 'listing' : 'answer') };
}

/**
 * What `wirestate replay`, the fixture tests and the inspector need. A server
 * trace is replayed against a folder rebuilt from it: the file a `get` was
 * answered `pass` with, the name a `put` was cancelled for, and the names a
 * `list` sent (as empty files).
 */
export const shareTraceSupport = () =>
  textTraceSupport({
    server: (trace) => {
      const request = parseShareRequest(readLines(tracedBytes(trace, 'in'), 1).lines[0]);
      const sent = tracedBytes(trace, 'out');
      const files: Record<string, Buffer> = {};
      if (request.kind === 'get' && sent.subarray(0, PASS.length).equals(PASS)) files[request.name] = sent.subarray(PASS.length);
      if (request.kind === 'put' && sent.equals(CANCEL)) files[request.name] = Buffer.alloc(0);
      if (request.kind === 'list') for (const name of parseListing(sent.toString())) files[name] = Buffer.alloc(0);
      const { owner: _owner, ...options } = trace.header.input as ShareServerInput;
      return shareServer(new MemoryFiles(files), options).accept(trace.header.connection);
    },
    client: (trace) => {
      const input = trace.header.input as ShareClientInput;
      const sent = tracedBytes(trace, 'out');
      return shareClient(memoryLocalFile(sent.subarray(sent.indexOf(0x0a) + 1)), input);
    },
    machines: { server: createShareServer(new MemoryFiles()), client: createShareClient(memoryLocalFile()) },
  });

/**
 * Rebuilds, from a recorded trace alone, the in-memory files a replay needs
 * for the machine to meet the same world: the file a download sent, the name
 * that was busy, the room that was missing. Then replay can check that the
 * machine still sends the same bytes and visits the same states.
 */
import type { ConnectionSpec, SessionOutcome } from '../../src/engine/protocol';
import { MemoryFiles } from '../../src/storage/memory-files';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { checkName } from '../../src/storage/name-rules';
import { tracedBytes, type Trace } from '../../src/trace/trace-format';
import { transferClientMachine, type ClientInput } from './client';
import { DOWNLOAD_REPLY_SIZE, OP, REQUEST_SIZE, STATUS, UPLOAD_SIZE_SIZE, decodeRequest } from './frames';
import { TransferFrameReader } from './frame-reader';
import { transferClient, transferServer } from './connections';
import { transferServerMachine, type ServerInput } from './server';
import type { TransferCode } from './outcome';

/** The two machine definitions, effects not supplied: what a trace's statechart is drawn from. */
export const transferMachines = { server: transferServerMachine, client: transferClientMachine };

/** A name held by a connection that is not in the trace. */
const OTHER_CONNECTION = 'another connection';

export function specFromTrace(trace: Trace): ConnectionSpec {
  const inbound = tracedBytes(trace, 'in');
  const outbound = tracedBytes(trace, 'out');
  const outcome = outcomeOf(trace);
  if (trace.header.role === 'client') {
    const input = trace.header.input as ClientInput;
    return transferClient(localWorld(input, inbound, outbound, outcome), input);
  }
  const input = trace.header.input as ServerInput;
  return transferServer(serverWorld(inbound, outbound, outcome), { maxUploadSize: input.maxUploadSize }).accept(
    input.owner,
  );
}

/** Whether the trace ended with `code`: the world is rebuilt from codes, never from details (those are for people). */
const endedWith = (outcome: SessionOutcome | undefined, code: TransferCode) => outcome?.code === code;

function serverWorld(inbound: Buffer, outbound: Buffer, outcome: SessionOutcome | undefined): MemoryFiles {
  if (inbound.length < REQUEST_SIZE) return new MemoryFiles();
  const { op, name } = decodeRequest(inbound.subarray(0, REQUEST_SIZE));
  if (!name.ok) return new MemoryFiles();
  let key: string;
  try {
    key = checkName(name.name).join('/');
  } catch {
    return new MemoryFiles();
  }
  const uploadSize =
    inbound.length >= REQUEST_SIZE + UPLOAD_SIZE_SIZE ? Number(inbound.readBigUInt64BE(REQUEST_SIZE)) : 0;
  const files = new MemoryFiles(
    {},
    {
      capacity: endedWith(outcome, 'storage.no_room') ? uploadSize - 1 : undefined,
      commitError: endedWith(outcome, 'file.unwritable') ? outcome?.detail : undefined,
    },
  );
  if (endedWith(outcome, 'file.busy')) files.holds.claim(key, OTHER_CONNECTION);
  if (op === OP.download && outbound[0] === STATUS.yes) {
    files.files.set(key, padTo(outbound.subarray(DOWNLOAD_REPLY_SIZE), Number(outbound.readBigUInt64BE(1))));
  }
  if (op === OP.upload && endedWith(outcome, 'file.exists')) files.files.set(key, Buffer.alloc(0));
  return files;
}

function localWorld(input: ClientInput, inbound: Buffer, outbound: Buffer, outcome: SessionOutcome | undefined) {
  if (input.operation === 'upload') {
    return memoryLocalFile(padTo(outbound.subarray(REQUEST_SIZE + UPLOAD_SIZE_SIZE), input.size));
  }
  const reader = new TransferFrameReader('download');
  reader.push(inbound);
  const reply = reader.next();
  const size = reply?.type === 'frame.download_reply' ? reply.size : 0;
  return memoryLocalFile(undefined, endedWith(outcome, 'storage.no_room') ? size - 1 : undefined);
}

function outcomeOf(trace: Trace) {
  const last = trace.entries.find((entry) => 'outcome' in entry);
  return last && 'outcome' in last ? last.outcome : undefined;
}

/** The recorded bytes, or zeros where the run stopped before sending them. */
function padTo(bytes: Buffer, size: number): Buffer {
  return bytes.length >= size ? bytes.subarray(0, size) : Buffer.concat([bytes, Buffer.alloc(size - bytes.length)]);
}

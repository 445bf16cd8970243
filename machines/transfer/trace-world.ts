/**
 * Rebuilds, from a recorded trace alone, the in-memory files a replay needs
 * for the machine to meet the same world: the file a download sent, the name
 * that was busy, the room that was missing, a read-only folder. Then replay can check that the
 * machine still sends the same bytes and visits the same states.
 */
import type { ConnectionSpec, SessionOutcome } from '../../src/engine/protocol';
import { MemoryFiles } from '../../src/storage/memory-files';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { checkName } from '../../src/storage/name-rules';
import { readOnly } from '../../src/storage/read-only-files';
import { tracedBytes, type Trace } from '../../src/trace/trace-format';
import { CannotReplay } from '../../src/trace/trace-support';
import { asksToResume, transferClientMachine, type ClientInput } from './client';
import { OP, STATUS } from './frames';
import { TransferFrameReader, type InboundFrame } from './frame-reader';
import { transferClient, transferServer } from './connections';
import { transferServerMachine, type ServerInput } from './server';
import type { TransferCode } from './outcome';
import { EXT_OP } from './extension-frames';
import { decodeListEntries } from './list-frames';

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
  // The server as it ran, every option of its input (its idle timeout too); a trace of a server offering no extension holds no capabilities.
  const { owner, ...options } = input;
  return transferServer(serverWorld(input, inbound, outbound, outcome), {
    ...options,
    capabilities: input.capabilities ?? 0,
  }).accept(owner);
}

/** Whether the trace ended with `code`: the world is rebuilt from codes, never from details (those are for people). */
const endedWith = (outcome: SessionOutcome | undefined, code: TransferCode) => outcome?.code === code;

function serverWorld(
  input: ServerInput,
  inbound: Buffer,
  outbound: Buffer,
  outcome: SessionOutcome | undefined,
): MemoryFiles {
  const received = framesOf(new TransferFrameReader('server', { capabilities: input.capabilities ?? 0 }), inbound);
  const request = received.find((frame) => frame.type === 'frame.request');
  if (request?.type === 'frame.request' && request.op === EXT_OP.list) return listedWorld(outbound);
  if (request?.type !== 'frame.request' || !request.name.ok) return new MemoryFiles();
  const { op, name } = request;
  let key: string;
  try {
    key = checkName(name.name).join('/');
  } catch {
    return new MemoryFiles();
  }
  const sizeFrame = received.find((frame) => frame.type === 'frame.upload_size');
  const uploadSize = sizeFrame?.type === 'frame.upload_size' ? sizeFrame.size : (request.uploadOpen?.size ?? 0);
  const uploadFrom = received.find((frame) => frame.type === 'frame.upload_from');
  const sent =
    op === OP.download
      ? framesOf(
          new TransferFrameReader('download', { hello: true, resumes: request.resumeFrom !== undefined }),
          outbound,
        )
      : [];
  const reply = sent.find((frame) => frame.type === 'frame.download_reply');
  const files = new MemoryFiles(
    {},
    {
      capacity: endedWith(outcome, 'storage.no_room') ? uploadSize - 1 : undefined,
      commitError: endedWith(outcome, 'file.unwritable') ? outcome?.detail : undefined,
      mtimeMs: reply?.type === 'frame.download_reply' ? reply.mtimeMs : undefined,
      keptUpload: uploadFrom?.type === 'frame.upload_from' ? uploadFrom.start : undefined,
    },
  );
  if (endedWith(outcome, 'file.busy')) files.holds.claim(key, OTHER_CONNECTION);
  if (reply?.type === 'frame.download_reply' && reply.status === STATUS.yes) {
    // A resumed download's bytes before its start never crossed the wire: NULs, as for any bytes not recorded.
    files.files.set(key, padTo(Buffer.concat([zeros(reply.start ?? 0), dataOf(sent)]), reply.size));
  }
  if (op === OP.upload && endedWith(outcome, 'file.exists')) files.files.set(key, Buffer.alloc(0));
  return endedWith(outcome, 'storage.read_only') ? readOnly(files) : files;
}

/** The files a listing showed, in its order, each of its size (zeros) and with its time. */
function listedWorld(outbound: Buffer): MemoryFiles {
  const files = new MemoryFiles();
  for (const file of decodeListEntries(dataOf(framesOf(new TransferFrameReader('list', { hello: true }), outbound)))) {
    files.files.set(file.name, zeros(file.size));
    files.mtimes.set(file.name, file.mtimeMs);
  }
  return files;
}

function localWorld(input: ClientInput, inbound: Buffer, outbound: Buffer, outcome: SessionOutcome | undefined) {
  if (input.operation === 'list') return memoryLocalFile();
  const replies = framesOf(
    new TransferFrameReader(input.operation, { hello: input.hello !== undefined, resumes: asksToResume(input) }),
    inbound,
  );
  if (input.operation === 'upload') {
    // A resumed upload's bytes before its start never crossed the wire: NULs, as for any bytes not recorded.
    const reply = replies.find((frame) => frame.type === 'frame.upload_reply');
    const kept = zeros(reply?.type === 'frame.upload_reply' ? (reply.start ?? 0) : 0);
    const sent = dataOf(framesOf(new TransferFrameReader('server', { capabilities: ~0 }), outbound));
    return memoryLocalFile(padTo(Buffer.concat([kept, sent]), input.size));
  }
  const reply = replies.find((frame) => frame.type === 'frame.download_reply');
  const size = reply?.type === 'frame.download_reply' ? reply.size : 0;
  return memoryLocalFile(undefined, endedWith(outcome, 'storage.no_room') ? size - 1 : undefined);
}

/** Every frame a reader makes of `bytes`. */
function framesOf(reader: TransferFrameReader, bytes: Buffer): InboundFrame[] {
  reader.push(bytes);
  const frames: InboundFrame[] = [];
  for (let frame = reader.next(); frame; frame = reader.next()) frames.push(frame);
  return frames;
}

/** The file bytes among `frames`. */
const dataOf = (frames: InboundFrame[]) =>
  Buffer.concat(frames.flatMap((frame) => (frame.type === 'frame.data' ? [frame.chunk] : [])));

function outcomeOf(trace: Trace) {
  const last = trace.entries.find((entry) => 'outcome' in entry);
  return last && 'outcome' in last ? last.outcome : undefined;
}

/** The recorded bytes, or zeros where the run stopped before sending them. */
function padTo(bytes: Buffer, size: number): Buffer {
  return bytes.length >= size ? bytes.subarray(0, size) : Buffer.concat([bytes, zeros(size - bytes.length, size)]);
}

/** The largest file a replay rebuilds in memory: traces are of small transfers (README: "Traces"). */
const MAX_REBUILT_FILE = 64 * 1024 * 1024;

/** `count` zero bytes of a rebuilt file of `fileSize`, unless the trace's frames name more than a replay holds in memory. */
function zeros(count: number, fileSize = count): Buffer {
  if (fileSize > MAX_REBUILT_FILE)
    throw new CannotReplay(
      `the trace's frames name a file of ${fileSize} bytes; a replay rebuilds files in memory, ${MAX_REBUILT_FILE} bytes at most`,
    );
  return Buffer.alloc(count);
}

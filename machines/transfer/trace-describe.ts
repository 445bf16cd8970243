/** Frame names for a transfer trace's timeline (`wirestate replay`). */
import type { Trace } from '../../src/trace/trace-format';
import type { FrameNamer } from '../../src/trace/trace-support';
import { asksToResume, type ClientInput } from './client';
import type { ServerInput } from './server';
import { OP, statusLetter } from './frames';
import { EXT_OP, capabilityNames } from './extension-frames';
import { TransferFrameReader, type InboundFrame } from './frame-reader';

export function describeFrame(frame: InboundFrame): string {
  switch (frame.type) {
    case 'frame.request':
      return describeRequest(frame);
    case 'frame.confirm':
      return `DOWNLOAD_CONFIRM ${statusLetter(frame.status)}`;
    case 'frame.upload_size':
      return `UPLOAD_SIZE ${frame.size}`;
    case 'frame.download_reply':
      if (frame.start !== undefined)
        return `RESUME_REPLY t size=${frame.size} mtime=${String(frame.mtimeMs)} start=${frame.start}`;
      return frame.extended
        ? `DOWNLOAD_REPLY_X t size=${frame.size} mtime=${String(frame.mtimeMs)}`
        : `DOWNLOAD_REPLY ${statusLetter(frame.status)} size=${frame.size}`;
    case 'frame.upload_reply':
      if (frame.start !== undefined) return `UPLOAD_RESUME_REPLY t start=${frame.start}`;
      return `UPLOAD_REPLY ${frame.extended ? 't' : statusLetter(frame.status)}`;
    case 'frame.upload_size_reply':
      return `UPLOAD_SIZE_REPLY ${statusLetter(frame.status)}`;
    case 'frame.data':
      return `DATA ${frame.chunk.length} B`;
    case 'frame.data_end':
      return 'DATA complete';
    case 'frame.hello':
      return `HELLO wirestate/${frame.version} ${capabilityNames(frame.capabilities).join(' ')}`.trimEnd();
    case 'frame.hello_reply':
      return `HELLO_REPLY version=${frame.reply.version} agreed=${capabilityNames(frame.reply.capabilities).join(',') || 'none'}`;
    case 'frame.digest':
      return `DIGEST ${frame.sha256.toString('hex')}`;
    case 'frame.stored_reply':
      return `STORED_REPLY ${statusLetter(frame.status)}`;
    case 'frame.upload_from':
      return `UPLOAD_FROM ${frame.start}`;
    case 'frame.list_reply':
      return `LIST_REPLY ${statusLetter(frame.status)}`;
    case 'frame.list_chunk':
      return frame.length === 0 ? 'LIST_CHUNK end' : `LIST_CHUNK ${frame.length} B`;
    case 'frame.unexpected':
      return `${frame.length} unexpected bytes`;
  }
}

/** A REQUEST by its op letter and name; a resume op's with the frame right behind it. */
function describeRequest(frame: Extract<InboundFrame, { type: 'frame.request' }>): string {
  if (frame.op === EXT_OP.list) return 'REQUEST l (the served folder)';
  const name = frame.name.ok ? JSON.stringify(frame.name.name) : `(unreadable name: ${frame.name.code})`;
  if (frame.resumeFrom) {
    const { offset, size, mtimeMs } = frame.resumeFrom;
    return `REQUEST r ${name} + RESUME_FROM offset=${offset} size=${size} mtime=${mtimeMs}`;
  }
  if (frame.uploadOpen)
    return `REQUEST p ${name} + UPLOAD_OPEN size=${frame.uploadOpen.size} id=${frame.uploadOpen.id}`;
  return `REQUEST ${statusLetter(frame.extended ? frame.op + 0x20 : frame.op)} ${name}`;
}

/**
 * Reads both directions of a trace with the reader of whoever receives them:
 * a server's outbound bytes are what a download or upload client reads.
 */
export function transferFrameNamer(trace: Trace): FrameNamer {
  const client = trace.header.role === 'client';
  const input = trace.header.input as Partial<ClientInput & ServerInput>;
  const inbound = client
    ? new TransferFrameReader(input.operation ?? 'download', {
        hello: input.hello !== undefined,
        resumes: asksToResume(input as ClientInput),
      })
    : new TransferFrameReader('server', { capabilities: input.capabilities ?? 0 });
  // A server's replies are read as its client reads them, once the request says which client that is.
  // Before the request a server sends only a HELLO_REPLY, which either client reads the same way: it is
  // named as it comes, and fed again (unnamed) to the reader the request picks, which needs its agreement.
  const beforeRequest = new TransferFrameReader('download', { hello: true });
  const sentBeforeRequest: Buffer[] = [];
  let outbound = client ? new TransferFrameReader('server', { capabilities: ~0 }) : undefined;
  let op: number | undefined;
  let resumes = false;
  const replyReader = () => {
    const reader = new TransferFrameReader(replyRole(op), { hello: true, resumes });
    reader.push(Buffer.concat(sentBeforeRequest));
    while (reader.next());
    return reader;
  };
  return (direction, chunk) => {
    let reader = inbound;
    if (direction === 'out' && op === undefined && !outbound) {
      reader = beforeRequest;
      sentBeforeRequest.push(chunk);
    } else if (direction === 'out') reader = outbound ??= replyReader();
    reader.push(chunk);
    const names: string[] = [];
    for (let frame = reader.next(); frame; frame = reader.next()) {
      if (frame.type === 'frame.request') {
        op = frame.op;
        resumes = frame.resumeFrom !== undefined || frame.uploadOpen !== undefined;
      }
      names.push(describeFrame(frame));
    }
    return names;
  };
}

/** Which client reads the replies to a request of `op`. */
const replyRole = (op: number | undefined) => (op === OP.upload ? 'upload' : op === EXT_OP.list ? 'list' : 'download');

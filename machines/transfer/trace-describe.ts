/** Frame names for a transfer trace's timeline (`wirestate replay`). */
import type { Trace } from '../../src/trace/trace-format';
import type { FrameNamer } from '../../src/trace/trace-support';
import type { ClientInput } from './client';
import { OP, statusLetter } from './frames';
import { TransferFrameReader, type InboundFrame } from './frame-reader';

export function describeFrame(frame: InboundFrame): string {
  switch (frame.type) {
    case 'frame.request':
      return `REQUEST ${statusLetter(frame.op)} ${frame.name.ok ? JSON.stringify(frame.name.name) : `(unreadable name: ${frame.name.code})`}`;
    case 'frame.confirm':
      return `DOWNLOAD_CONFIRM ${statusLetter(frame.status)}`;
    case 'frame.upload_size':
      return `UPLOAD_SIZE ${frame.size}`;
    case 'frame.download_reply':
      return `DOWNLOAD_REPLY ${statusLetter(frame.status)} size=${frame.size}`;
    case 'frame.upload_reply':
      return `UPLOAD_REPLY ${statusLetter(frame.status)}`;
    case 'frame.upload_size_reply':
      return `UPLOAD_SIZE_REPLY ${statusLetter(frame.status)}`;
    case 'frame.data':
      return `DATA ${frame.chunk.length} B`;
    case 'frame.data_end':
      return 'DATA complete';
    case 'frame.unexpected':
      return `${frame.length} unexpected bytes`;
  }
}

/**
 * Reads both directions of a trace with the reader of whoever receives them:
 * a server's outbound bytes are what a download or upload client reads.
 */
export function transferFrameNamer(trace: Trace): FrameNamer {
  const client = trace.header.role === 'client';
  const inbound = new TransferFrameReader(client ? (trace.header.input as ClientInput).operation : 'server');
  let outbound = client ? new TransferFrameReader('server') : undefined;
  let op: number = OP.download;
  return (direction, chunk) => {
    const reader =
      direction === 'in' ? inbound : (outbound ??= new TransferFrameReader(op === OP.upload ? 'upload' : 'download'));
    reader.push(chunk);
    const names: string[] = [];
    for (let frame = reader.next(); frame; frame = reader.next()) {
      if (frame.type === 'frame.request') op = frame.op;
      names.push(describeFrame(frame));
    }
    return names;
  };
}

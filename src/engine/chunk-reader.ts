/**
 * The frame decoder of protocols with no framing of their own (the queue, the
 * lab exercises): every chunk read becomes a `frame.bytes` event, and the
 * machine decides, with the protocol's pure codec, where a request ends. It is
 * the datagram reader with each chunk as one "datagram", empty chunks dropped.
 */
import { DatagramReader } from './datagram-reader';

export interface BytesFrame {
  type: 'frame.bytes';
  bytes: Buffer;
}

export class ChunkReader extends DatagramReader<BytesFrame> {
  constructor() {
    super((bytes) => ({ type: 'frame.bytes', bytes }));
  }

  override push(chunk: Buffer): void {
    if (chunk.length > 0) super.push(chunk);
  }
}

/**
 * Bytes a machine receives until the peer ends, kept as the chunks they came
 * in: appending costs O(1), and the bytes are joined once, when read. (Joining
 * on every chunk made a 60 MiB reply cost minutes and gigabytes.)
 */
export interface ReceivedBytes {
  readonly chunks: Buffer[];
  readonly length: number;
}

export const noBytes = (): ReceivedBytes => ({ chunks: [], length: 0 });

/** Adds `chunk`; the list is shared with the previous value, which is not used again. */
export function appendBytes(received: ReceivedBytes, chunk: Buffer): ReceivedBytes {
  received.chunks.push(chunk);
  return { chunks: received.chunks, length: received.length + chunk.length };
}

/** All the bytes as one Buffer; joins them once and keeps the join, so reading again copies nothing. */
export function joinedBytes(received: ReceivedBytes): Buffer {
  if (received.chunks.length !== 1)
    received.chunks.splice(0, received.chunks.length, Buffer.concat(received.chunks, received.length));
  return received.chunks[0];
}

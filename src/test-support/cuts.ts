/** Helpers for tests that cut a byte stream and feed it to a decoder: the result must not depend on the cuts. */
import type { EventObject } from 'xstate';
import type { FrameDecoder } from '../engine/protocol';

/** Every way to cut `bytes` in two. */
export const everySplit = (bytes: Buffer): Buffer[][] =>
  Array.from({ length: bytes.length + 1 }, (_, at) => [bytes.subarray(0, at), bytes.subarray(at)]);

/** Every frame `decoder` makes of `chunks`, pushed one at a time and drained after each. */
export function decodeAll<E extends EventObject>(decoder: FrameDecoder<E>, chunks: Buffer[]): E[] {
  const frames: E[] = [];
  for (const chunk of chunks) {
    decoder.push(chunk);
    for (let frame = decoder.next(); frame; frame = decoder.next()) frames.push(frame);
  }
  return frames;
}

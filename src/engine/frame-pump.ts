/**
 * Feeds decoded frames into a connection's actor, one at a time and only while
 * its state carries the `reading` tag, so no frame reaches a state that would
 * drop it; file chunks in a `bulk-in` state go straight to its sink. In a
 * `quiet` state nothing is decoded: bytes buffered there are reported as
 * unsolicited. Shared by the socket loop and by trace replay: any chunking of the
 * same bytes gives the same sequence of events.
 */
import type { AnyEventObject, EventObject } from 'xstate';
import { bulkSinkOf, reportBulkBytes } from './bulk-actors';
import type { SessionActor } from './session-actor';
import { QUIET_TAG, READING_TAG, type FrameDecoder, type UnsolicitedBytes } from './protocol';

export class FramePump {
  /** The peer has ended its side: a level, told to each reading state that finds nothing left to read. */
  private ended = false;
  /** The state last told of the end, so a state that stays put on `socket.end` is not told again. */
  private endToldTo?: string;
  private running = false;
  /** While a lent chunk is decoded: its memory, which nothing may keep. */
  private lent: ArrayBufferLike | undefined;

  /** `held`: true while the carrier cannot take more output (its writes back up); frames wait until it is false. */
  constructor(
    private readonly actor: SessionActor,
    private readonly decoder: FrameDecoder,
    private readonly held: () => boolean = () => false,
  ) {}

  /** True while the machine is alive and its state wants input. */
  wantsInput(): boolean {
    const snapshot = this.actor.getSnapshot();
    return snapshot.status === 'active' && snapshot.hasTag(READING_TAG);
  }

  get buffered(): number {
    return this.decoder.buffered;
  }

  push(chunk: Buffer): void {
    this.decoder.push(chunk);
    this.run();
  }

  /**
   * Like `push`, for a chunk whose memory is read into again once this call returns (a socket reading into
   * one reused buffer): while the machine's sink takes file chunks, they go to it as views (it hashes and
   * copies them at once); what must outlive the call, the bytes still queued and the frames for the
   * machine, is copied first. A decoder that cannot copy what it holds (no `keep`) is pushed a copy.
   */
  lend(chunk: Buffer): void {
    const { decoder } = this;
    if (!decoder.keep) {
      this.push(Buffer.from(chunk));
      return;
    }
    decoder.push(chunk);
    this.lent = chunk.buffer;
    try {
      this.run();
    } finally {
      this.lent = undefined;
      decoder.keep(chunk.buffer);
    }
    this.run();
  }

  /**
   * The peer ended its side: `socket.end` goes to the machine once every queued frame is consumed, and
   * again to each reading state it enters later, so no state waits for bytes that cannot come.
   */
  end(): void {
    this.ended = true;
    this.run();
  }

  /**
   * Sends the machine an event from outside its frames (`socket.error`). In a bulk state the file actor
   * first reports the bytes it has not yet reported, so a machine that stops on this event counts them.
   */
  send(event: AnyEventObject): void {
    reportBulkBytes(this.actor);
    this.actor.send(event);
  }

  /** True when the peer has ended and the machine's present state has not been told. */
  private endUntold(): boolean {
    return this.ended && this.endToldTo !== this.stateKey();
  }

  private deliverEnd(): void {
    this.endToldTo = this.stateKey();
    this.send({ type: 'socket.end' });
  }

  private stateKey(): string {
    return JSON.stringify(this.actor.getSnapshot().value);
  }

  /** True while the machine's state expects nothing from the peer. */
  private quiet(): boolean {
    return this.actor.getSnapshot().hasTag(QUIET_TAG);
  }

  /** A file chunk in a `bulk-in` state goes to the machine's sink, anything else to the machine. */
  private deliver(frame: EventObject): void {
    const sink = frame.type === 'frame.data' || frame.type === 'frame.bytes' ? bulkSinkOf(this.actor) : undefined;
    if (sink) sink.send(frame);
    else this.send(this.lent ? ownBytes(frame, this.lent) : frame);
  }

  /**
   * Delivers frames while the machine reads and its output is not held up. Must not be called while the
   * actor is processing an event (from a subscriber, defer it), because the
   * snapshot it checks would be stale.
   */
  run(): void {
    if (this.running) return;
    this.running = true;
    try {
      // A lent chunk is decoded only for a sink (and the one frame that ends its file); the rest once kept.
      while (this.wantsInput() && !this.held() && !(this.lent && !bulkSinkOf(this.actor))) {
        if (this.quiet()) {
          // Before the end, so that bytes which came with the peer's FIN are reported, not dropped.
          if (this.decoder.buffered > 0)
            this.send({ type: 'frame.unsolicited', bytes: this.buffered } satisfies UnsolicitedBytes);
          else if (this.endUntold()) this.deliverEnd();
          // A quiet state leaves on either; if it has not, wait for the next push rather than spin.
          if (this.quiet()) break;
          continue;
        }
        const frame = this.decoder.next();
        if (frame) {
          this.deliver(frame);
        } else if (this.endUntold()) {
          this.deliverEnd();
        } else {
          break;
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/** `frame` with each of its byte fields that is a view of `memory` replaced by a copy. */
function ownBytes(frame: EventObject, memory: ArrayBufferLike): EventObject {
  const views = Object.entries(frame as Record<string, unknown>).filter(
    (field): field is [string, Uint8Array] => field[1] instanceof Uint8Array && field[1].buffer === memory,
  );
  if (views.length === 0) return frame;
  return { ...frame, ...Object.fromEntries(views.map(([key, view]) => [key, Buffer.from(view)])) };
}

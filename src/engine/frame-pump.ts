/**
 * Feeds decoded frames into a connection's actor, one at a time and only while
 * its state carries the `reading` tag, so no frame reaches a state that would
 * drop it. Shared by the socket loop and by trace replay: any chunking of the
 * same bytes gives the same sequence of events.
 */
import type { AnyActorRef } from 'xstate';
import { READING_TAG, type FrameDecoder } from './protocol';

export class FramePump {
  private ended = false;
  private endDelivered = false;
  private running = false;

  /** `held`: true while the carrier cannot take more output (its writes back up); frames wait until it is false. */
  constructor(
    private readonly actor: AnyActorRef,
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

  /** The peer ended its side: deliver `socket.end` once every queued frame is consumed. */
  end(): void {
    this.ended = true;
    this.run();
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
      while (this.wantsInput() && !this.held()) {
        const frame = this.decoder.next();
        if (frame) {
          this.actor.send(frame);
        } else if (this.ended && !this.endDelivered) {
          this.endDelivered = true;
          this.actor.send({ type: 'socket.end' });
        } else {
          break;
        }
      }
    } finally {
      this.running = false;
    }
  }
}

/**
 * Keeps bulk data out of the inspection stream: events that carry or pace
 * file bytes are dropped before anything serializes them, and the actor's
 * progress is summarised at most every `intervalMs` instead.
 */
import type { AnyActorRef, InspectionEvent } from 'xstate';

/** Events that move or pace bulk bytes; everything else is a protocol step worth showing. */
const BULK = new Set(['frame.data', 'file.chunk', 'sink.write', 'wire.full', 'wire.drain', 'file.full', 'file.drain', 'source.pause', 'source.resume']);

export function isBulk(event: InspectionEvent): boolean {
  return (event.type === '@xstate.event' || event.type === '@xstate.snapshot') && BULK.has(event.event.type);
}

/** Calls `summarise(actor)` at most once per interval for actors that moved bulk bytes meanwhile. */
export function progressSummariser(intervalMs: number, summarise: (actor: AnyActorRef) => void) {
  const pending = new Set<AnyActorRef>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    for (const actor of pending) summarise(actor);
    pending.clear();
  };
  return {
    note(actor: AnyActorRef): void {
      pending.add(actor);
      timer ??= setTimeout(flush, intervalMs).unref();
    },
    /** Summarises at once, e.g. before the actor's final snapshot. */
    flush(): void {
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}

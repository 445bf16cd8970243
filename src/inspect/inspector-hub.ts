/**
 * Turns every connection's xstate inspection events into one stream in
 * @statelyai/inspect's format (stately-format.ts), for the local page
 * (inspect-server.ts) and Stately's hosted inspector (stately-link.ts).
 * Adds messages of its own that Stately's format
 * lacks: which connection an actor is, every state it enters (including
 * states passed through within one step), and each event it takes in words
 * (event-words.ts).
 *
 * Watching costs something per event, and a transfer sends an event per
 * chunk; so while a machine is in a state tagged `bulk` the hub stops
 * watching and samples its progress instead, and watches again after.
 */
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { InspectionEvent, Subscription } from 'xstate';
import type { SessionActor } from '../engine/session-actor';
import { BULK_TAG, type SessionRequest } from '../engine/protocol';
import { stateName } from '../engine/state-name';
import { watchStates } from '../engine/state-watch';
import type { EventDescriber } from '../trace/trace-support';
import { isBulk } from './bulk-filter';
import { eventWords } from './event-words';
import { actorEvent, sampledSnapshot, statelyEvent } from './stately-format';

export interface ConnectionMeta {
  id: string;
  peer: string;
  protocol: string;
  role: 'server' | 'client';
}

export type HubMessage =
  | StatelyInspectionEvent
  | ({ type: 'wirestate.connection'; sessionId: string; at: string } & ConnectionMeta)
  | { type: 'wirestate.state'; sessionId: string; state: string; at: string }
  /** An event the connection's machine took, in the protocol user's words (`received REQUEST D "a.txt"`). */
  | { type: 'wirestate.event'; sessionId: string; text: string; at: string }
  /** What the connection asked for, as the log line says it (`download "a.txt"`, `send of 41 B`). */
  | { type: 'wirestate.request'; sessionId: string; summary: string; at: string };

/** How many messages a page opened late still gets. */
const HISTORY = 20_000;
/** How often progress is sampled during bulk transfer. */
const PROGRESS_MS = 250;

/** Receives each message with its number in the stream (1, 2, ...), so a page can ask to resume after one. */
export type HubListener = (message: HubMessage, seq: number) => void;

export class InspectorHub {
  private readonly history: { message: HubMessage; seq: number }[] = [];
  private readonly listeners = new Set<HubListener>();
  private seq = 0;

  /** `protocols`: each protocol's words for its machines' events, by the protocol's name. */
  constructor(private readonly protocols: Record<string, { describeEvent?: EventDescriber }> = {}) {}

  /**
   * Watches one connection's actor; call it before the actor starts. `request`: what a client asks for, known before
   * its machine runs (a server's machine says it when the request comes).
   */
  watch(meta: ConnectionMeta, actor: SessionActor, request?: string): void {
    const sessionId = actor.sessionId;
    const at = () => new Date().toISOString();
    this.publish({ type: 'wirestate.connection', sessionId, at: at(), ...meta });
    if (request !== undefined) this.publish({ type: 'wirestate.request', sessionId, summary: request, at: at() });
    // The actor announced itself while it was being created, before anyone could watch; announce it again.
    this.publish(actorEvent(actor, sessionId));

    let lastState = '';
    const publishState = (state: string) => {
      if (state === lastState) return;
      lastState = state;
      this.publish({ type: 'wirestate.state', sessionId, state, at: at() });
    };
    const states = watchStates(publishState);
    const protocolWords = this.protocols[meta.protocol]?.describeEvent;
    const observe = (event: InspectionEvent) => {
      if (event.type === '@xstate.action' || isBulk(event)) return;
      try {
        states(event);
        if (event.type === '@xstate.event' && event.actorRef === actor && event.event.type !== 'xstate.init')
          this.publish({ type: 'wirestate.event', sessionId, text: eventWords(event.event, protocolWords), at: at() });
        const converted = statelyEvent(event);
        if (!converted) return;
        this.publish(converted);
      } catch (error) {
        // Inspection is best effort: it runs inside the actor, and must never break the connection it watches.
        this.publish({ type: 'wirestate.state', sessionId, state: `(inspection failed: ${String(error)})`, at: at() });
      }
    };
    const sample = (cause: string) => {
      this.publish(sampledSnapshot(actor, sessionId, cause));
    };

    actor.on('session.request', (event: SessionRequest) =>
      this.publish({ type: 'wirestate.request', sessionId, summary: event.summary, at: at() }),
    );
    let watching: Subscription | undefined = actor.system.inspect(observe);
    let sampler: NodeJS.Timeout | undefined;
    actor.subscribe({
      next: (snapshot) => {
        const bulk = snapshot.status === 'active' && snapshot.hasTag(BULK_TAG);
        if (bulk && watching) {
          watching.unsubscribe();
          watching = undefined;
          sampler = setInterval(() => sample('wirestate.progress'), PROGRESS_MS).unref();
        } else if (!bulk && !watching) {
          clearInterval(sampler);
          watching = actor.system.inspect(observe);
          publishState(stateName(snapshot.value));
          sample('wirestate.bulk_done');
        }
      },
      error: () => clearInterval(sampler),
      complete: () => clearInterval(sampler),
    });
  }

  /** Every kept message numbered after `after`, then each new one as it comes; returns the unsubscribe. */
  subscribe(listener: HubListener, after = 0): () => void {
    for (const { message, seq } of this.since(after)) listener(message, seq);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The kept messages numbered after `after` (all of them for 0), oldest first. */
  since(after = 0): { message: HubMessage; seq: number }[] {
    return this.history.filter((entry) => entry.seq > after);
  }

  private publish(message: HubMessage): void {
    const seq = ++this.seq;
    this.history.push({ message, seq });
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    for (const listener of this.listeners) listener(message, seq);
  }
}

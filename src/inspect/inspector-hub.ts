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
import { loggedEvents } from './logged-events';
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

/**
 * How many messages a page opened late still gets, and at most how many bytes of them: every page reads them from
 * this one history at its own pace (history-stream.ts), so what the inspector holds does not grow with its pages.
 */
const HISTORY_MESSAGES = 20_000;
export const HISTORY_BYTES = 8 * 1024 * 1024;
/** How often progress is sampled during bulk transfer. */
const PROGRESS_MS = 250;

/** Receives each message with its number in the stream (1, 2, ...), so a page can ask to resume after one. */
export type HubListener = (message: HubMessage, seq: number) => void;

/** A kept message as a page gets it: its number, and its JSON with `<` escaped, so it can sit inside a `<script>`. */
export interface HubEntry {
  seq: number;
  json: string;
}

export class InspectorHub {
  private readonly history: HubEntry[] = [];
  private historyBytes = 0;
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
    const logged = loggedEvents(actor);
    const observe = (event: InspectionEvent) => {
      if (event.type === '@xstate.action' || isBulk(event)) return;
      try {
        states(event);
        const machineEvent = logged(event);
        if (machineEvent)
          this.publish({ type: 'wirestate.event', sessionId, text: eventWords(machineEvent, protocolWords), at: at() });
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
    /**
     * While bulk bytes stream, only the states are followed: the step that ends the stream can pass through
     * states (a message stored at once) before the machine settles where watching resumes.
     */
    let passing: Subscription | undefined;
    const passedStates = (event: InspectionEvent) => {
      if (event.type === '@xstate.microstep') states(event);
    };
    let sampler: NodeJS.Timeout | undefined;
    actor.subscribe({
      next: (snapshot) => {
        const bulk = snapshot.status === 'active' && snapshot.hasTag(BULK_TAG);
        if (bulk && watching) {
          watching.unsubscribe();
          watching = undefined;
          passing = actor.system.inspect(passedStates);
          sampler = setInterval(() => sample('wirestate.progress'), PROGRESS_MS).unref();
        } else if (!bulk && !watching) {
          clearInterval(sampler);
          passing?.unsubscribe();
          watching = actor.system.inspect(observe);
          publishState(stateName(snapshot.value));
          sample('wirestate.bulk_done');
        }
      },
      error: () => clearInterval(sampler),
      complete: () => clearInterval(sampler),
    });
  }

  /** Calls `listener` with each new message; returns the unsubscribe. */
  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The number of the oldest message kept (the next one to come when none is). */
  firstKept(): number {
    return this.history[0]?.seq ?? this.seq + 1;
  }

  /** The number of the newest message (0 before any). */
  last(): number {
    return this.seq;
  }

  /**
   * Message number `seq`: undefined while it is the next to come; `gone` when it is no longer kept, or when it is
   * further on than the next to come (a number a page got from an earlier run).
   */
  entry(seq: number): HubEntry | 'gone' | undefined {
    if (seq === this.seq + 1) return undefined;
    if (seq > this.seq + 1 || seq < this.firstKept()) return 'gone';
    return this.history[seq - this.firstKept()];
  }

  private publish(message: HubMessage): void {
    const seq = ++this.seq;
    const json = JSON.stringify(message).replace(/</g, '\\u003c');
    this.history.push({ seq, json });
    this.historyBytes += json.length;
    while (this.history.length > 1 && (this.history.length > HISTORY_MESSAGES || this.historyBytes > HISTORY_BYTES))
      this.historyBytes -= this.history.shift()?.json.length ?? 0;
    for (const listener of this.listeners) listener(message, seq);
  }
}

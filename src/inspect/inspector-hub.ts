/**
 * Turns every connection's xstate inspection events into one stream in
 * @statelyai/inspect's format, for the local page (inspect-server.ts) and,
 * if asked, Stately's hosted inspector. Adds two messages of its own that
 * Stately's format lacks: which connection an actor is, and every state it
 * enters (including states passed through within one step).
 */
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { watchStates } from '../engine/state-watch';
import { isBulk, progressSummariser } from './bulk-filter';

export interface ConnectionMeta {
  id: string;
  peer: string;
  protocol: string;
  role: 'server' | 'client';
}

export type HubMessage =
  | StatelyInspectionEvent
  | ({ type: 'wirestate.connection'; sessionId: string; at: string } & ConnectionMeta)
  | { type: 'wirestate.state'; sessionId: string; state: string; at: string };

/** How many messages a page opened late still gets. */
const HISTORY = 20_000;
const PROGRESS_MS = 250;

type StatelyInspector = { inspect: { next?: (event: InspectionEvent) => void }; snapshot: (actor: AnyActorRef, snapshot: object, info?: object) => void };

export class InspectorHub {
  private readonly history: HubMessage[] = [];
  private readonly listeners = new Set<(message: HubMessage) => void>();
  private readonly inspectors: StatelyInspector[] = [];
  private readonly progress = progressSummariser(PROGRESS_MS, (actor) => {
    const snapshot = actor.getSnapshot();
    for (const inspector of this.inspectors) {
      inspector.snapshot(actor, { status: snapshot.status, value: snapshot.value, context: snapshot.context }, { event: { type: 'wirestate.progress' } });
    }
  });

  /** @statelyai/inspect is ES-module-only; it is loaded once, when inspection is first asked for. */
  static async create(options: { stately?: boolean } = {}): Promise<InspectorHub> {
    const { createInspector, createSkyInspector } = await import('@statelyai/inspect');
    const hub = new InspectorHub();
    const adapter = { send: (event: StatelyInspectionEvent) => hub.publish(event) };
    hub.inspectors.push(createInspector(adapter) as unknown as StatelyInspector);
    if (options.stately) hub.inspectors.push(createSkyInspector() as unknown as StatelyInspector);
    return hub;
  }

  /** An inspection observer for one connection's actor. */
  observe(meta: ConnectionMeta): (event: InspectionEvent) => void {
    let announced = false;
    const states = watchStates((state) => this.publish({ type: 'wirestate.state', sessionId: rootSession, state, at: new Date().toISOString() }));
    let rootSession = '';
    return (event) => {
      if (!announced && event.type === '@xstate.actor' && event.rootId === event.actorRef.sessionId) {
        announced = true;
        rootSession = event.actorRef.sessionId;
        this.publish({ type: 'wirestate.connection', sessionId: rootSession, at: new Date().toISOString(), ...meta });
      }
      if (isBulk(event)) {
        if (event.actorRef.sessionId === event.rootId) this.progress.note(event.actorRef as AnyActorRef);
        return;
      }
      states(event);
      if (event.type === '@xstate.snapshot' && event.snapshot.status !== 'active') this.progress.flush();
      for (const inspector of this.inspectors) inspector.inspect.next?.(event);
    };
  }

  /** Every message so far (bounded), then each new one as it comes; returns the unsubscribe. */
  subscribe(listener: (message: HubMessage) => void): () => void {
    for (const message of this.history) listener(message);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(message: HubMessage): void {
    this.history.push(message);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    for (const listener of this.listeners) listener(message);
  }
}

/**
 * xstate inspection events in @statelyai/inspect's event format
 * (StatelyInspectionEvent: @xstate.actor, @xstate.event, @xstate.snapshot),
 * built without loading that package: loading it, even unused, made this
 * process collect garbage about four times as often during transfers.
 * `--inspect-stately` sends the same events to Stately (stately-link.ts).
 */
import { randomUUID } from 'node:crypto';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { AnyActorRef, AnyEventObject, InspectionEvent } from 'xstate';

/** The @statelyai/inspect release whose event format this follows. */
export const STATELY_FORMAT_VERSION = '0.7.2';

interface Inspected {
  status?: string;
  value?: unknown;
  context?: unknown;
  output?: unknown;
  error?: unknown;
}

/** The parts of a snapshot an inspector shows, as plain JSON; an actor still being created has none yet. */
export function inspectedSnapshot(snapshot: Inspected | undefined): Inspected {
  if (!snapshot) return {};
  return JSON.parse(
    JSON.stringify(
      {
        status: snapshot.status,
        value: snapshot.value,
        context: snapshot.context,
        output: snapshot.output,
        error: snapshot.error,
      },
      plainJson,
    ),
  ) as Inspected;
}

/**
 * A machine config as JSON a viewer can draw. A guard's params are usually a function of the event
 * (`{ type: 'opIs', params: ({ event }) => ({ actual: event.op, expected: OP.download }) }`), which JSON
 * would lose, and with it what tells two transitions on the same event apart; so the function is called
 * with an empty event and what it returns regardless of the event (`expected: 68`) is kept.
 */
export function machineDefinition(config: object): string {
  return JSON.stringify(config, (key, value: unknown) =>
    key === 'guard' ? describedGuard(value) : plainJson(key, value),
  );
}

function describedGuard(guard: unknown): unknown {
  if (typeof guard === 'function') return { type: inlineGuardText(guard.toString(), guard.name) };
  if (!guard || typeof guard !== 'object' || typeof (guard as { params?: unknown }).params !== 'function') return guard;
  const { type, params } = guard as { type?: string; params: (args: unknown) => unknown };
  try {
    const probed = params({ context: {}, event: {} });
    const fixed = Object.entries(probed && typeof probed === 'object' ? probed : {}).filter(([, value]) =>
      ['number', 'string', 'boolean'].includes(typeof value),
    );
    return { type, params: Object.fromEntries(fixed) };
  } catch {
    return { type };
  }
}

/**
 * An inline guard (`guard: ({ event }) => event.output.kind === 'found'`) has no name of its own: its expression
 * says what it tests, as written in the source: without the module names the compiler puts before an import
 * (`frames_1.STATUS.yes` is `STATUS.yes`).
 */
function inlineGuardText(source: string, name: string): string {
  const body = /=>\s*([^{][^]*)$/
    .exec(source)?.[1]
    ?.replace(/\s+/g, ' ')
    .replace(/\b\w+_\d+\./g, '')
    .trim();
  return body && body.length <= 80 ? body : name || 'guard';
}

/** Registers an actor, with its machine's definition so a viewer can draw it. */
export function actorEvent(actor: AnyActorRef, rootId: string): StatelyInspectionEvent {
  const config = (actor as unknown as { logic?: { config?: { id?: string } } }).logic?.config;
  return {
    type: '@xstate.actor',
    name: config?.id ?? actor.id,
    definition: machineDefinition(config ?? { id: actor.id }),
    parentId: (actor as unknown as { _parent?: AnyActorRef })._parent?.sessionId,
    snapshot: inspectedSnapshot(actor.getSnapshot() as Inspected),
    ...common(actor, rootId),
  } as StatelyInspectionEvent;
}

/** The Stately form of an xstate inspection event, or undefined for kinds the format has no place for. */
export function statelyEvent(event: InspectionEvent): StatelyInspectionEvent | undefined {
  const actor = event.actorRef as AnyActorRef;
  switch (event.type) {
    case '@xstate.actor':
      return actorEvent(actor, event.rootId);
    case '@xstate.event':
      return {
        type: '@xstate.event',
        event: plainEvent(event.event),
        sourceId: event.sourceRef?.sessionId,
        ...common(actor, event.rootId),
      };
    case '@xstate.snapshot':
      return {
        type: '@xstate.snapshot',
        event: plainEvent(event.event),
        snapshot: inspectedSnapshot(event.snapshot),
        ...common(actor, event.rootId),
      } as StatelyInspectionEvent;
    default:
      return undefined;
  }
}

/** A snapshot event made up by the hub, e.g. sampled progress during a bulk transfer. */
export function sampledSnapshot(actor: AnyActorRef, rootId: string, cause: string): StatelyInspectionEvent {
  return {
    type: '@xstate.snapshot',
    event: { type: cause },
    snapshot: inspectedSnapshot(actor.getSnapshot() as Inspected),
    ...common(actor, rootId),
  } as StatelyInspectionEvent;
}

function common(actor: AnyActorRef, rootId: string) {
  return {
    sessionId: actor.sessionId,
    rootId,
    createdAt: Date.now().toString(),
    id: randomUUID(),
    _version: STATELY_FORMAT_VERSION,
  };
}

function plainEvent(event: AnyEventObject): AnyEventObject {
  return JSON.parse(JSON.stringify(event, plainJson)) as AnyEventObject;
}

/** Errors keep their message and code; functions become their name; buffers their length, and a short one (a digest) its hex too. */
/** Buffers up to this many bytes are shown whole: a SHA-256 digest (32 bytes) fits, a data chunk does not. */
const SHOWN_BUFFER = 64;

function plainJson(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { message: value.message, code: (value as { code?: unknown }).code };
  if (typeof value === 'function') return { type: value.name };
  if (
    value &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    const data = (value as { data: number[] }).data;
    return {
      type: 'Buffer',
      length: data.length,
      ...(data.length <= SHOWN_BUFFER && { hex: Buffer.from(data).toString('hex') }),
    };
  }
  return value;
}

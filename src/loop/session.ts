/**
 * What every connection shares, whatever carries its bytes (a TCP socket, a
 * UDP peer): the actor with its observers (debug log, trace, inspector), the
 * frame pump feeding it, the request line and the closing line in the log.
 */
import { createActor, type AnyActorRef, type InspectionEvent } from 'xstate';
import { FramePump } from '../engine/frame-pump';
import { ioFirstClock } from './io-first-clock';
import type { SessionActor } from '../engine/session-actor';
import type { EngineCode } from '../engine/outcome';
import type { ConnectionSpec, SessionOutcome, SessionRequest } from '../engine/protocol';
import { watchStates } from '../engine/state-watch';
import { formatBytes, formatRate, type Logger } from '../log/logger';
import { outcomeProse } from '../log/outcome-prose';
import type { TraceWriter } from '../trace/trace-writer';
import { extended } from '../engine/extended';
import { watchSession } from '../engine/watched-session';
import type { SessionObservers } from '../engine/session-observers';

const SESSION_REQUEST = ['session.request'] as const;

export interface SessionOptions {
  id: string;
  log: Logger;
  /** Called with the actor before it starts, for a live inspector to watch it. */
  watch?: (actor: AnyActorRef) => void;
  /** Writes every chunk, state and the outcome to a trace file. */
  record?: TraceWriter;
  /** True while the carrier's writes back up: no frame is delivered then, so a peer that never reads cannot grow them. */
  held?: () => boolean;
  /** False when the caller writes the connection's end line itself, with more to say (a transfer client's file). */
  logsEnd?: boolean;
  /** False for a UDP peer: its life ends with the quiet period that ends it, so bytes over its length tell no speed. */
  endRate?: boolean;
  /** Hears each request the machine announces, after its line is logged (a server's slot guard: the deadline is met). */
  requested?: () => void;
}

export interface Session {
  actor: SessionActor;
  /** What the carrier observes the actor through (session-observers.ts). */
  observers: SessionObservers;
  pump: FramePump;
  /**
   * Logs how the session ended (`told`, when the connection ended otherwise than its machine: a download the peer
   * did not take), writes the machine's `outcome` to the trace, and settles with `told` once the trace is on disk.
   */
  close: (outcome: SessionOutcome, told?: SessionOutcome) => Promise<SessionOutcome>;
}

/** Creates (does not start) the actor for one connection. */
export function openSession(spec: ConnectionSpec, options: SessionOptions): Session {
  const { id, log, record } = options;
  const started = performance.now();
  const inspectors = [
    ...(log.isDebugEnabled()
      ? [watchStates((state) => log.debug(`state ${state}`, { connection: id, event: 'state', state }))]
      : []),
    ...(record ? [watchStates((state) => record.state(state), { skipFlowControl: true })] : []),
  ];
  const inspect =
    inspectors.length > 0 ? (event: InspectionEvent) => inspectors.forEach((observe) => observe(event)) : undefined;
  const actor = createActor(spec.logic, { input: spec.input, inspect, clock: ioFirstClock });
  const observers = watchSession(actor, spec);
  options.watch?.(actor);
  let asked: Pick<SessionRequest, 'operation' | 'name'> = {};
  observers.on(SESSION_REQUEST, ({ summary, operation, name, event = 'request', level = 'info' }) => {
    if (event === 'request') asked = { operation, name };
    log.log(level, summary, { connection: id, event, operation, name });
    options.requested?.();
  });
  return {
    actor,
    observers,
    pump: new FramePump(actor, spec.decoder, options.held),
    close: async (outcome, told = outcome) => {
      if (options.logsEnd !== false)
        logEnd(log, { connection: id, ...asked }, told, performance.now() - started, options.endRate !== false);
      await record?.finish(outcome);
      return told;
    },
  };
}

/** The outcome of a machine that has stopped, or `aborted` if it never finished. */
export function outcomeOf(actor: SessionActor): SessionOutcome {
  const snapshot = actor.getSnapshot();
  return snapshot.status === 'done'
    ? snapshot.output
    : { ok: false, outcome: 'aborted', code: 'session.aborted' satisfies EngineCode, bytes: 0 };
}

/** The connection's last line: prose for people, and every figure as a field for log readers. */
function logEnd(
  log: Logger,
  about: { connection: string; operation?: string; name?: string },
  outcome: SessionOutcome,
  ms: number,
  withRate: boolean,
): void {
  const seconds = ms / 1000;
  const rate = withRate && outcome.bytes > 0 ? ` (${formatRate(outcome.bytes, seconds)})` : '';
  const why = outcome.detail ?? (outcome.code === 'ok' ? undefined : outcome.code);
  const fields = extended(about, {
    event: 'end',
    outcome: outcome.outcome,
    code: outcome.code,
    bytes: outcome.bytes,
    duration_ms: Math.round(ms * 1000) / 1000,
  });
  const what = `${outcomeProse(outcome.outcome)}${why ? ` (${why})` : ''}`;
  const took = `in ${seconds.toFixed(3)} s`;
  // A failure that moved nothing (a refusal) has no size or rate to tell; an empty file stored says its 0 B.
  const told =
    !outcome.ok && outcome.bytes === 0 ? `${what} ${took}` : `${what}: ${formatBytes(outcome.bytes)} ${took}${rate}`;
  log.log(outcome.ok ? 'info' : 'warn', told, fields);
}

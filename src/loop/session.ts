/**
 * What every connection shares, whatever carries its bytes (a TCP socket, a
 * UDP peer): the actor with its observers (debug log, trace, inspector), the
 * frame pump feeding it, the request line and the closing line in the log.
 */
import { createActor, type AnyActorRef, type InspectionEvent } from 'xstate';
import { FramePump } from '../engine/frame-pump';
import type { ConnectionSpec, SessionOutcome, SessionRequest } from '../engine/protocol';
import { watchStates } from '../engine/state-watch';
import { formatBytes, mibPerSecond, type Logger } from '../log/logger';
import type { TraceWriter } from '../trace/trace-writer';

export interface SessionOptions {
  id: string;
  log: Logger;
  /** Called with the actor before it starts, for a live inspector to watch it. */
  watch?: (actor: AnyActorRef) => void;
  /** Writes every chunk, state and the outcome to a trace file. */
  record?: TraceWriter;
  /** True while the carrier's writes back up: no frame is delivered then, so a peer that never reads cannot grow them. */
  held?: () => boolean;
}

export interface Session {
  actor: AnyActorRef;
  pump: FramePump;
  /** Logs how the session ended, writes it to the trace, and settles once the trace is on disk. */
  close(outcome: SessionOutcome): Promise<SessionOutcome>;
}

/** Creates (does not start) the actor for one connection. */
export function openSession(spec: ConnectionSpec, options: SessionOptions): Session {
  const { id, log, record } = options;
  const started = performance.now();
  const observers = [
    ...(log.isDebugEnabled() ? [watchStates((state) => log.debug(`state ${state}`, { connection: id }))] : []),
    ...(record ? [watchStates((state) => record.state(state), { skipFlowControl: true })] : []),
  ];
  const inspect = observers.length > 0 ? (event: InspectionEvent) => observers.forEach((observe) => observe(event)) : undefined;
  const actor = createActor(spec.logic, { input: spec.input, inspect });
  options.watch?.(actor);
  actor.on('session.request', (event: SessionRequest) => log.info(event.summary, { connection: id }));
  return {
    actor,
    pump: new FramePump(actor, spec.decoder, options.held),
    close: async (outcome) => {
      logEnd(log, id, outcome, (performance.now() - started) / 1000);
      await record?.finish(outcome);
      return outcome;
    },
  };
}

/** The outcome of a machine that has stopped, or `aborted` if it never finished. */
export function outcomeOf(actor: AnyActorRef): SessionOutcome {
  const snapshot = actor.getSnapshot();
  return snapshot.status === 'done' ? snapshot.output : { ok: false, outcome: 'aborted', bytes: 0 };
}

function logEnd(log: Logger, id: string, outcome: SessionOutcome, seconds: number): void {
  const rate = outcome.bytes > 0 ? ` (${mibPerSecond(outcome.bytes, seconds).toFixed(1)} MiB/s)` : '';
  const detail = outcome.detail ? ` (${outcome.detail})` : '';
  log.log(outcome.ok ? 'info' : 'warn', `${outcome.outcome}${detail}: ${formatBytes(outcome.bytes)} in ${seconds.toFixed(3)} s${rate}`, {
    connection: id,
  });
}

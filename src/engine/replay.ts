/**
 * Runs a connection spec against scripted inbound chunks with no socket and no
 * clock: the same frame pump as the loop, wire commands captured instead of
 * carried out. Machine tests and trace replay use it to assert the bytes a
 * machine sends, the states it visits and how it ends.
 */
import { createActor, type InspectionEvent } from 'xstate';
import { StepClock } from './step-clock';
import type { SessionActor } from './session-actor';
import { FramePump } from './frame-pump';
import { NOT_CONNECTED, type ConnectionSpec, type SessionOutcome, type WireCommand } from './protocol';
import { watchStates } from './state-watch';
import { onWireCommands } from './wire-commands';
import { watchSession } from './watched-session';

export interface ReplayResult {
  /** Every byte the machine wrote, in order. */
  sent: Buffer;
  /** Each state entered, in order, as `a.b` paths; flow-control states left out. */
  states: string[];
  /** How the machine closed its side: FIN, RST, or not at all. */
  closed: 'end' | 'reset' | 'open';
  /** The machine's output, or undefined if it had not finished. */
  outcome?: SessionOutcome;
}

/**
 * What the peer does, in order: send bytes, end its side, break the connection, acknowledge bytes sent to it, or
 * let `wait` ms pass (timers firing as they come due) or `quietly` ms (none firing: one that came due fires at the
 * next `wait`, unless an input cancels it first).
 */
export type ReplayInput =
  Buffer | { end: true } | { error: string } | { acknowledge: true } | { wait: number } | { quietly: number };

export const PEER_ENDS: ReplayInput = { end: true };
export const PEER_RESETS: ReplayInput = { error: 'ECONNRESET' };
/** The peer acknowledged more of the bytes sent to it: the loop's `wire.progress`. */
export const PEER_ACKNOWLEDGES: ReplayInput = { acknowledge: true };

/** `observe`: sees every inspection event of the run too, as a live inspector would. */
export async function replay(
  spec: ConnectionSpec,
  inputs: Iterable<ReplayInput>,
  observe?: (event: InspectionEvent) => void,
): Promise<ReplayResult> {
  const states: string[] = [];
  const watch = watchStates((state) => states.push(state), { skipFlowControl: true });
  // Time only passes when an input says so: timeouts are tested without waiting for them.
  const clock = new StepClock();
  const actor: SessionActor = createActor(spec.logic, {
    input: spec.input,
    clock,
    inspect: (event) => {
      watch(event);
      observe?.(event);
    },
  });
  const observers = watchSession(actor, spec);
  const pump = new FramePump(actor, spec.decoder);
  const sent: Buffer[] = [];
  let closed: ReplayResult['closed'] = 'open';
  const pending = inputs[Symbol.iterator]();
  /** Inputs taken from `pending` to look ahead, not yet run. */
  const ahead: ReplayInput[] = [];
  /** The next input to run, one looked at ahead first. */
  const takeNext = (): ReplayInput | undefined => {
    if (ahead.length > 0) return ahead.shift();
    const taken = pending.next();
    return taken.done ? undefined : taken.value;
  };
  /** What the peer did next, past any time that passed first. */
  const peerNext = (): ReplayInput | undefined => {
    for (let at = 0; ; at++) {
      if (at === ahead.length) {
        const taken = pending.next();
        if (taken.done) return undefined;
        ahead.push(taken.value);
      }
      if (Buffer.isBuffer(ahead[at]) || !('wait' in ahead[at] || 'quietly' in ahead[at])) return ahead[at];
    }
  };

  const carryOut = (command: WireCommand) => {
    if (closed !== 'open') return;
    // The loop found the peer gone instead of writing (and recorded that as the next error): so does the replay.
    const next = command.type === 'wire.write' && command.ifConnected ? peerNext() : undefined;
    if (next !== undefined && isNotConnected(next)) {
      closed = 'reset';
      return;
    }
    if (command.type === 'wire.write') {
      sent.push(Buffer.from(command.bytes));
      command.written?.();
    } else if (command.type === 'wire.flush') queueMicrotask(() => actor.send({ type: 'wire.flushed' }));
    else closed = command.type === 'wire.end' ? 'end' : 'reset';
  };
  onWireCommands(observers, carryOut);
  actor.start();

  await settle(actor, pump);
  for (let input = takeNext(); input !== undefined; input = takeNext()) {
    if (Buffer.isBuffer(input)) pump.push(input);
    else if ('wait' in input) await clock.pass(input.wait, () => settle(actor, pump));
    else if ('quietly' in input) clock.skip(input.quietly);
    else if ('end' in input) pump.end();
    else if ('acknowledge' in input) actor.send({ type: 'wire.progress' });
    else if (actor.getSnapshot().status === 'active') pump.send({ type: 'socket.error', code: input.error });
    await settle(actor, pump);
  }

  const snapshot = actor.getSnapshot();
  actor.stop();
  return {
    sent: Buffer.concat(sent),
    states,
    closed,
    outcome: snapshot.status === 'done' ? snapshot.output : undefined,
  };
}

const isNotConnected = (input: ReplayInput) =>
  !Buffer.isBuffer(input) && 'error' in input && input.error === NOT_CONNECTED;

/** Lets actors' promises and streams run until a full turn of the event loop changes nothing. */
async function settle(actor: { getSnapshot(): unknown }, pump: FramePump): Promise<void> {
  for (;;) {
    const before = actor.getSnapshot();
    await new Promise((resolve) => setImmediate(resolve));
    pump.run();
    if (actor.getSnapshot() === before) return;
  }
}

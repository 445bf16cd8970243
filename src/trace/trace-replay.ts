/**
 * Replays a recorded trace into a fresh machine and says whether it behaves
 * as recorded: the same bytes out, the same states, the same outcome. The
 * inbound bytes can be re-cut (1-byte pieces, seeded random cuts) to prove the
 * result does not depend on how the stream arrived. The clock is simulated and
 * moves as `inputsFromTrace` says: through each gap the trace shows the machine
 * acting in, timers firing (a queue server's offer to confirm after a silence,
 * an idle timeout, a quiet period, ardei's pause before a file happen again),
 * and quietly through the rest, where none fired live.
 */
import type { ConnectionSpec, SessionOutcome } from '../engine/protocol';
import { replay, type ReplayInput, type ReplayResult } from '../engine/replay';
import { seededRandom } from '../engine/seeded-random';
import { chunkBytes, type Trace } from './trace-format';

export type Chunking = { kind: 'recorded' } | { kind: 'bytes' } | { kind: 'random'; seed: number };

export interface Expected {
  sent: Buffer;
  states: string[];
  outcome?: SessionOutcome;
}

/** How a protocol rebuilds, from a trace, the machine and world that recorded it. */
export type SpecFromTrace = (trace: Trace) => ConnectionSpec;

export function expectedFromTrace(trace: Trace): Expected {
  const sent: Buffer[] = [];
  const states: string[] = [];
  let outcome: SessionOutcome | undefined;
  for (const entry of trace.entries) {
    if ('out' in entry) sent.push(chunkBytes(entry));
    else if ('state' in entry) states.push(entry.state);
    else if ('outcome' in entry) outcome = entry.outcome;
  }
  return { sent: Buffer.concat(sent), states, outcome };
}

/**
 * The peer's side of the trace, its bytes cut as `requested` says (TCP only), its end or error last, and the time
 * between. Before each of the peer's actions that the replay places in time (every one when replayed as recorded;
 * else its first and its end or error), time passes as far as the machine's last entry since the peer's previous
 * action, timers firing (what the machine did on its own clock happens again), then quietly up to the action: the
 * machine did nothing there live, so no timer fired (one that comes due there, as a live one that fired late,
 * fires at the next wait unless the action cancels it). Cut, the time from the peer's first bytes to its last
 * passes quietly after them. After the peer's last action, time passes as far as the trace's last entry.
 * The pieces are cut as the replay takes them: a 75 MB frame in 1-byte pieces is never 75 million at once.
 */
export function* inputsFromTrace(trace: Trace, requested: Chunking): Generator<ReplayInput> {
  // Datagrams cannot be re-cut: each is one message.
  const chunking: Chunking = trace.header.transport === 'udp' ? { kind: 'recorded' } : requested;
  const inOrder = chunking.kind === 'recorded';
  /** As recorded: every input. Cut: the time before the peer first spoke, then the bytes go, then `after`. */
  const before: ReplayInput[] = [];
  const after: ReplayInput[] = [];
  /** Where the peer's end or error goes, and the time after its last action. */
  const last = inOrder ? before : after;
  const chunks: Buffer[] = [];
  /** Cut: the time from the peer's first bytes to its last, which passes quietly once they have gone. */
  let across = 0;
  /** When the peer last acted, whether it has, and when the machine was last seen acting. */
  let peerT = 0;
  let spoke = false;
  let machineT = 0;
  const timeUntil = (t: number, into: ReplayInput[]) => {
    if (machineT > peerT) into.push({ wait: machineT - peerT });
    const from = Math.max(machineT, peerT);
    if (t > from) into.push({ quietly: t - from });
  };
  for (const entry of trace.entries) {
    if ('in' in entry) {
      if (inOrder || !spoke) timeUntil(entry.t, before);
      else across += entry.t - peerT;
      (inOrder ? before : chunks).push(chunkBytes(entry));
    } else if ('end' in entry || 'error' in entry) {
      timeUntil(entry.t, last);
      last.push('end' in entry ? { end: true } : { error: entry.error });
    } else {
      machineT = entry.t;
      continue;
    }
    peerT = entry.t;
    spoke = true;
  }
  timeUntil(machineT, last);
  yield* before;
  if (inOrder) return;
  // One chunk (a trace holding one big frame) is cut as it is: concat would copy it whole.
  yield* cut(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), chunking);
  if (across > 0) yield { quietly: across };
  yield* after;
}

function* cut(bytes: Buffer, chunking: Chunking): Generator<Buffer> {
  const random = chunking.kind === 'random' ? seededRandom(chunking.seed) : undefined;
  for (let at = 0; at < bytes.length;) {
    const size = random ? 1 + Math.floor(random() * 300) : 1;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

export function replayTrace(trace: Trace, specFromTrace: SpecFromTrace, chunking: Chunking): Promise<ReplayResult> {
  return replay(specFromTrace(trace), inputsFromTrace(trace, chunking));
}

/** What differs between a replay and its trace, as sentences; empty when it behaved the same. */
export function differences(expected: Expected, actual: ReplayResult): string[] {
  const found: string[] = [];
  if (!actual.sent.equals(expected.sent))
    found.push(`sent ${actual.sent.length} B differing from the ${expected.sent.length} B recorded`);
  if (actual.states.join() !== expected.states.join())
    found.push(`states ${actual.states.join(' > ')} instead of ${expected.states.join(' > ')}`);
  if (JSON.stringify(decided(actual.outcome)) !== JSON.stringify(decided(expected.outcome))) {
    found.push(`outcome ${JSON.stringify(actual.outcome)} instead of ${JSON.stringify(expected.outcome)}`);
  }
  return found;
}

/** What an outcome decides, compared between a replay and its trace: its code and figures, never its detail (words for people). */
const decided = (outcome: SessionOutcome | undefined) =>
  outcome && {
    ok: outcome.ok,
    outcome: outcome.outcome,
    code: outcome.code,
    bytes: outcome.bytes,
    stopServer: outcome.stopServer,
  };

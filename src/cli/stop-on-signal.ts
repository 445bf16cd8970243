/**
 * Ctrl-C (SIGINT) or SIGTERM on a client stops its sessions at once. First
 * `abort` resets each connection: left to the process's exit, the kernel would
 * send what it still holds and then a FIN, which a server reading an upload
 * until the end of the stream (share put, queue send) takes for a finished
 * one. Stopping each actor then runs its actors' clean-up, which removes a
 * half-written download (only SIGKILL can leave one), but for a resumable
 * one's part, kept for the next run to continue. The process exits 130
 * or 143, as a shell reports those signals, once each session has said its
 * last line (`interrupted`: a progress bar erased, what became of the file). A
 * run of several files has several sessions open at once; one handler stops
 * them all, then tells the run (`whenSignalled`), which accounts for every
 * file, before the process exits.
 */
import { reportBulkBytes } from '../engine/bulk-actors';
import { errnoWords } from '../log/errno-words';
import { sayRunError } from './json-result';
import { writeKeptParts } from '../storage/written-at-exit';
import type { SessionActor } from '../engine/session-actor';
import { signalExitCode } from './signal-words';

/** A session under way, or a transfer that will be one once connected: how it stops, then the line it leaves. */
interface LiveTransfer {
  stop: () => void;
  interrupted?: (signal: NodeJS.Signals) => void;
}

const live = new Set<LiveTransfer>();
/** Runs told once their sessions are stopped: a run of several files says what became of each. */
const runs = new Set<(signal: NodeJS.Signals) => void>();

let stopping = false;

/** How a kept part the disk would not take whole is said: a plain line, unless the run says its lines as JSON. */
let sayCut = (words: string, fields: object): void => sayRunError(words, fields, 'client');

/** The run says its lines through `say` (--log-format json): the line about a cut kept part too, with its fields. */
export function sayCutPartsWith(say: (words: string, fields: object) => void): void {
  sayCut = say;
}

function stopAll(signal: NodeJS.Signals): void {
  // Every transfer has ended and said its line: the run is saying its last ones or exiting, with its own exit code,
  // which agrees with what it said (--json's object), and the signal changes nothing. Should the run not end within
  // a second, the process exits as the signal asks. Another listener (a kept inspector page) takes the signal itself.
  if (live.size + runs.size === 0) {
    if (process.listenerCount(signal) === 1) setTimeout(() => process.exit(signalExitCode(signal)), 1000).unref();
    return;
  }
  // A second signal while the first one's lines are said changes nothing (the handlers stay: without one, it killed
  // the process with no line, its part half written).
  if (stopping) return;
  stopping = true;
  for (const { stop } of live) stop();
  // Each kept part holds what its line counts before the line says so, unless the disk would not take it.
  const cuts = writeKeptParts();
  for (const { interrupted } of live) interrupted?.(signal);
  for (const { path, code, kept } of cuts) {
    const holds = kept > 0 ? `holds only its first ${kept} bytes` : 'is empty';
    sayCut(`the kept part ${path} ${holds}: ${errnoWords(code)}`, { event: 'kept_part_cut', path, bytes: kept, code });
  }
  for (const told of runs) told(signal);
  process.exit(signalExitCode(signal));
}

let handling = false;

/**
 * Adds `item` to `set`; returns the function that takes it off again. The handlers come with the first item and
 * stay to the exit: taken off, a signal already caught but not yet handled was dropped (the run went on to exit 0),
 * and one after it met Node's default (death by the signal).
 */
function held<T>(set: Set<T>, item: T): () => void {
  if (!handling) {
    handling = true;
    process.on('SIGINT', stopAll);
    process.on('SIGTERM', stopAll);
  }
  set.add(item);
  return () => void set.delete(item);
}

/** Returns the function that takes the session off again, once it is over. */
export const stopOnSignal = (
  actor: SessionActor,
  abort: () => void,
  interrupted?: (signal: NodeJS.Signals) => void,
): (() => void) =>
  held(live, {
    stop: () => {
      // The count its last line says is the machine's: brought up to the bytes moved since the file actor last told it.
      reportBulkBytes(actor);
      abort();
      actor.stop();
    },
    interrupted,
  });

/**
 * A transfer before its session holds the handler above (its lock taken, its connection not made yet): a signal
 * says its line with the others', and the exit takes the rest (a lock, a copy of stdin). Returns the function that
 * takes it off again, once its session holds its own or it ended without one.
 */
export const stopBeforeSession = (interrupted: (signal: NodeJS.Signals) => void): (() => void) =>
  held(live, { stop: () => undefined, interrupted });

/**
 * `told` hears a signal after every session is stopped, before the process exits, for as long as the run lasts;
 * while it does, a signal between two sessions stops the run the same way. Returns the function that ends that.
 */
export const whenSignalled = (told: (signal: NodeJS.Signals) => void): (() => void) => held(runs, told);

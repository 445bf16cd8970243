/**
 * The contract between the protocol-agnostic loop and a protocol's machines.
 * The loop turns socket readiness into `WireEvent`s and decoded frames; a
 * machine asks for I/O by emitting `WireCommand`s. Neither knows the other's
 * internals, so adding a protocol never touches the loop.
 */
import type { AnyStateMachine, EventObject } from 'xstate';

/** A machine reads input only in states carrying this tag; elsewhere the loop pauses the socket. */
export const READING_TAG = 'reading';

/**
 * States that only wait for a slow disk or socket carry this tag. They depend on
 * timing, not on the bytes exchanged, so traces and replays leave them out.
 */
export const FLOW_CONTROL_TAG = 'flow-control';

/**
 * States where file bytes stream carry this tag. Inspectors stop watching
 * event by event there and sample progress instead, so watching stays cheap.
 */
export const BULK_TAG = 'bulk';

/**
 * A reading state that invokes a file sink (`sink`, file-actors.ts) carries this tag: the frame pump
 * hands its file chunks (`frame.data`, `frame.bytes`) to the sink directly, so the machine is not
 * stepped per chunk; every other frame still goes to the machine.
 */
export const BULK_IN_TAG = 'bulk-in';

/**
 * A state that invokes a file source (`source`, file-actors.ts) carries this tag: the source writes the
 * file's bytes onto the wire itself (its emitted `wire.write`s, which the carrier takes as the machine's),
 * so the machine is not stepped per chunk.
 */
export const BULK_OUT_TAG = 'bulk-out';

/**
 * A reading state in which the peer owes nothing (no request of ours is outstanding) carries this tag as well:
 * the frame pump decodes nothing there, and any byte the peer sends, or that is still buffered unframed
 * when the state is entered, reaches the machine as `frame.unsolicited`. The state must leave on it.
 */
export const QUIET_TAG = 'quiet';

/**
 * The `socket.error` code of a `wire.write` with `ifConnected` that found the peer gone: nothing of it was written.
 * A trace records it as its error, and replay gives the machine the same answer there.
 */
export const NOT_CONNECTED = 'ENOTCONN';

/** `bytes` came from the peer in a `quiet` state: as many as were buffered when the pump looked. */
export interface UnsolicitedBytes {
  type: 'frame.unsolicited';
  bytes: number;
}

/** I/O a machine asks the loop to carry out, in order. */
export type WireCommand =
  /**
   * `written`, if given, is called once the bytes have left for the kernel: their buffer may then be reused.
   * `ifConnected`: not written to a peer that has already reset the connection (a TCP carrier asks the kernel
   * first, one system call): the machine hears `socket.error` with code `NOT_CONNECTED` instead.
   */
  | { type: 'wire.write'; bytes: Uint8Array; written?: () => void; ifConnected?: true }
  /** Answer with `wire.flushed` once everything written so far has left for the kernel. */
  | { type: 'wire.flush' }
  /** End gracefully (FIN) after pending writes. */
  | { type: 'wire.end' }
  /** Abort the connection (RST): the peer must not mistake it for success. */
  | { type: 'wire.reset' };

/**
 * Tells the loop's log what this connection is about, once the machine knows: a summary for people,
 * and the operation (`download`, `put`, `send`, ...) and name it concerns as fields for log readers.
 */
export interface SessionRequest {
  type: 'session.request';
  summary: string;
  operation?: string;
  name?: string;
  /**
   * The line's `event` field: `request` unless the announcement is not one (ardei's key, a transfer hello), which
   * meets the request deadline all the same: the connection's next request is timed from its own first byte.
   */
  event?: string;
  /** `debug` for an announcement that only says the connection goes on (a hello): `info` unless given. */
  level?: 'info' | 'debug';
}

/** Everything a connection machine may emit: its `types.emitted`, so the shared actions (wire-actions.ts) fit every machine. */
export type MachineEmitted = WireCommand | SessionRequest | IdleRestart;

/** A state re-entered (the peer's bytes read in pieces, its acknowledgements): its idle period starts over (idle.ts). */
export interface IdleRestart {
  type: 'idle.restart';
}

/** What the loop tells every connection machine about its socket. */
export type WireEvent =
  | { type: 'wire.flushed' }
  /** The socket's send buffer is full: stop producing until `wire.drain`. */
  | { type: 'wire.full' }
  | { type: 'wire.drain' }
  /** The peer acknowledged more of the bytes the kernel took (clients only): progress, though nothing came back. */
  | { type: 'wire.progress' }
  /** The connection's idle watchdog: the machine has stood still for the idle timeout (idle-watchdog.ts). */
  | { type: 'peer.idle' }
  /** The peer ended its side, after every byte it sent was delivered. */
  | { type: 'socket.end' }
  | { type: 'socket.error'; code: string };

/** A pure incremental reader: chunks in, machine events out, leftovers kept. */
export interface FrameDecoder<E extends EventObject = EventObject> {
  readonly buffered: number;
  push(chunk: Buffer): void;
  next(): E | undefined;
  /**
   * Copies whatever it still holds of `memory`, which is about to be read into again (a reused socket
   * buffer, frame-pump.ts `lend`). A decoder that has it may be pushed views of that memory; one that has
   * not is pushed copies.
   */
  keep?(memory: ArrayBufferLike): void;
}

/** How a connection ended, as a machine reports it in its output. */
export interface SessionOutcome {
  ok: boolean;
  /** Short stable word: `downloaded`, `refused`, `interrupted`, ... */
  outcome: string;
  /** Why, as a stable code of the protocol's closed union (`file.busy`, `peer.idle`, ...): what replay and exit codes match on. */
  code: string;
  /** Payload bytes moved (file bytes, not protocol framing). */
  bytes: number;
  detail?: string;
  /** The session asks its server to stop, as SIGTERM would (the lab's `sum` exercise). */
  stopServer?: boolean;
}

/** Everything needed to run one connection of a protocol. */
export interface ConnectionSpec {
  logic: AnyStateMachine;
  input: unknown;
  decoder: FrameDecoder;
  /**
   * Frees what the connection holds outside its machine (a server's holds on names, name-holds.ts), once its
   * machine is over: done, failed or stopped (release-when-over.ts).
   */
  release?: () => void;
}

/** A protocol as a server loop sees it: one spec per accepted connection. */
export interface StreamProtocol {
  name: string;
  /** `peerAddress`: the peer's IP address (UDP), for limits kept per address. */
  accept(connectionId: string, peerAddress?: string): ConnectionSpec;
}

/** A server of the loop, TCP or UDP, as its owner (the CLI, tests) sees it. */
import type { AddressInfo } from 'node:net';
import type { SessionOutcome } from '../engine/protocol';

export interface ListeningServer {
  address: AddressInfo;
  /** Connections (TCP) or peers (UDP) open right now. */
  readonly open: number;
  /** Settles with each connection's outcome as it closes; for tests and tools. */
  onFinished(listener: (id: string, outcome: SessionOutcome) => void): void;
  /** Settles once no connection is open (at once if none is). */
  whenIdle(): Promise<void>;
  /** Stops accepting; connections still open after `graceMs` (default 0) are aborted. Settles once all are closed. */
  close(graceMs?: number): Promise<void>;
}

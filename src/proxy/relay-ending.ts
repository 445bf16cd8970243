/**
 * How one relayed connection ended, for its `close` log line and its trace: relayed to the end, the
 * upstream unreachable, reset by one side (passed on to the other), or cut by the proxy stopping.
 */
import { socketErrorCode } from '../engine/outcome';

export type RelayOutcome = 'relayed' | 'unreachable' | 'reset' | 'stopped';

export interface RelayEnding {
  ok: boolean;
  outcome: RelayOutcome;
  code: string;
}

/** What the proxy saw of one connection, in the order it matters: the first of each is kept. */
export class RelayWatch {
  /** The error that kept the upstream connection from opening (errno), if it never opened. */
  private unreachable?: string;
  /** The side whose reset (or error) ended the relay first. */
  private resetBy?: 'client' | 'upstream';
  private stopped = false;

  upstreamFailed(errno: string, connected: boolean): void {
    if (!connected) this.unreachable ??= errno;
  }

  reset(side: 'client' | 'upstream'): void {
    this.resetBy ??= side;
  }

  proxyStopping(): void {
    this.stopped = true;
  }

  ending(): RelayEnding {
    if (this.unreachable !== undefined)
      return { ok: false, outcome: 'unreachable', code: socketErrorCode(this.unreachable) };
    if (this.stopped) return { ok: false, outcome: 'stopped', code: 'proxy.stopped' };
    if (this.resetBy) return { ok: false, outcome: 'reset', code: `${this.resetBy}.reset` };
    return { ok: true, outcome: 'relayed', code: 'ok' };
  }
}

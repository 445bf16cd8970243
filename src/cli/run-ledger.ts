/**
 * What became of each file of a run of several, as it goes: so that a signal, which ends the process before
 * the run does, can still account for every file: those ended (already reported), those in flight
 * (interrupted, with what was kept), those not started.
 */
import type { InterruptedLine } from './transfer-file';

/** A file at the signal: in flight (its line, when its session was open to say one), or not started. */
export type Unfinished =
  { index: number; startedMs: number; interrupted: InterruptedLine | undefined } | { index: number; notStarted: true };

export class RunLedger {
  /** Each file's exit code once it ended. */
  private readonly codes = new Map<number, number>();
  /** The files in flight, and when each started. */
  private readonly inFlight = new Map<number, number>();
  private readonly lines = new Map<number, InterruptedLine>();

  constructor(private readonly count: number) {}

  started(index: number): void {
    this.inFlight.set(index, performance.now());
  }

  /** The file is waiting again (a connection the server refused: it goes again later). */
  putBack(index: number): void {
    this.inFlight.delete(index);
    this.lines.delete(index);
  }

  ended(index: number, exitCode: number): void {
    this.inFlight.delete(index);
    this.codes.set(index, exitCode);
  }

  interrupted(index: number, line: InterruptedLine): void {
    this.lines.set(index, line);
  }

  /** Every file has ended and said its line. */
  allEnded(): boolean {
    return this.codes.size === this.count;
  }

  /** The exit codes of the files that ended, in no particular order. */
  endedCodes(): number[] {
    return [...this.codes.values()];
  }

  /** The files that did not end, in the order given. */
  unfinished(): Unfinished[] {
    const left: Unfinished[] = [];
    for (let index = 0; index < this.count; index++) {
      const startedMs = this.inFlight.get(index);
      if (startedMs !== undefined) left.push({ index, startedMs, interrupted: this.lines.get(index) });
      else if (!this.codes.has(index)) left.push({ index, notStarted: true });
    }
    return left;
  }
}

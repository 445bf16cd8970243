/** `--json`: a client says how it went as one JSON object on stdout, for scripts to read instead of prose. */
import type { Argv } from 'yargs';
import type { SessionOutcome } from '../engine/protocol';

export function withJsonOption<T>(yargs: Argv<T>) {
  return yargs.option('json', {
    type: 'boolean',
    default: false,
    describe:
      'Print one JSON object on stdout when done (operation, name, outcome, code, detail, bytes, duration_ms, exit_code); no progress',
  });
}

export interface ClientResult {
  operation: string;
  name?: string;
  /** The session's outcome, or `not_started` when it failed before connecting (a local file, the server unreachable). */
  outcome: SessionOutcome | undefined;
  /** Why, in words, when there was no session to say it. */
  detail?: string;
  startedMs: number;
  exitCode: number;
}

/** Writes the one result line. */
export function printResult(
  { operation, name, outcome, detail, startedMs, exitCode }: ClientResult,
  out: NodeJS.WritableStream = process.stdout,
): void {
  const result = {
    operation,
    name,
    outcome: outcome?.outcome ?? 'not_started',
    code: outcome?.code,
    detail: outcome?.detail ?? detail,
    bytes: outcome?.bytes ?? 0,
    duration_ms: Math.round(performance.now() - startedMs),
    exit_code: exitCode,
  };
  out.write(`${JSON.stringify(result)}\n`);
}

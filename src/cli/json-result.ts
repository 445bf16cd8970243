/** `--json`: a client says how it went as one JSON object on stdout, for scripts to read instead of prose. */
import type { Argv } from 'yargs';
import type { SessionOutcome } from '../engine/protocol';
import { EXIT } from '../engine/exit-codes';
import type { FileCode } from '../engine/outcome';
import { printable } from './printable';
import { outcomeProse } from '../log/outcome-prose';
import { hostPort } from '../loop/peer-name';
import { formatBytes, formatRate, type LogFormat, type Logger } from '../log/logger';
import { jsonNotes } from './logger-from';
import { jsonEscapedUnshown } from '../log/unshown-characters';
import { standardOutputCause } from './local-failure-words';
import { errorCode } from '../storage/errors';
import { streamWritten } from '../storage/stream-written';

/** Whether the command the line names takes `--json` (its builder, which yargs runs for that command only, says so). */
let offered = false;
export const jsonResultOffered = (): boolean => offered;

export function withJsonOption<T>(yargs: Argv<T>) {
  offered = true;
  return yargs.option('json', {
    type: 'boolean',
    default: false,
    describe:
      'Print one JSON object on stdout when done (ok, operation, name, path, outcome, code, detail, bytes, duration_ms, exit_code, output: what would have been printed); no progress, no prompts on stdout',
  });
}

export interface ClientResult {
  /** What was asked for; none when the command line was refused before saying. */
  operation?: string;
  /** What the server calls it: a file's name, the line or request sent. */
  name?: string;
  /** The local file read or written. */
  path?: string;
  /** The session's outcome, or `not_started` when it failed before connecting (a local file, the server unreachable). */
  outcome: SessionOutcome | undefined;
  /** Why, in words, when there was no session to say it. */
  detail?: string;
  /** What the client prints on stdout without `--json`. */
  output?: string;
  /** `--list`: the served folder's files, sorted by name. */
  files?: { name: string; size: number; mtime_ms: number }[];
  startedMs: number;
  exitCode: number;
}

/** `code` for a run that failed before a session said one, by its exit code. */
const CODE_BEFORE_SESSION: Readonly<Record<number, string>> = {
  [EXIT.usage]: 'usage',
  [EXIT.cannotConnect]: 'peer.unreachable',
  [EXIT.localFile]: 'file.local',
  // A client's one way to exit 8: the port --inspect asked for is taken.
  [EXIT.cannotListen]: 'inspect.unavailable',
};

/** Writes the one result line. */
export function printResult(result: ClientResult, out: NodeJS.WritableStream = process.stdout): void {
  out.write(resultLine(result));
}

/**
 * Writes the one result line and returns the run's exit code; a stdout that does not take it (`> /dev/full`) is one
 * line on stderr, `wirestate COMMAND: cannot write the result to standard output: WHY`, and exit 7.
 */
export async function writeResult(result: ClientResult, command: string, notes?: Logger): Promise<number> {
  try {
    await streamWritten(process.stdout, resultLine(result));
    return result.exitCode;
  } catch (error) {
    sayRunError(unwrittenResult(standardOutputCause(errorCode(error))), UNWRITTEN, command, notes);
    return EXIT.localFile;
  }
}

/** The fields of the line saying stdout did not take the result. */
export const UNWRITTEN = { event: 'result_unwritten', exit_code: EXIT.localFile };

/** A run's error line that no session says: plain (`wirestate COMMAND: WORDS`), or with `notes` (`--log-format json`) a JSON error line with `fields`. */
export function sayRunError(words: string, fields: object, command: string, notes?: Logger): void {
  if (notes) notes.error(words, fields);
  else process.stderr.write(`wirestate ${command}: ${printable(words)}\n`);
}

/** The words for result lines stdout did not take: `what` is `result` (one object) or `results` (a run's). */
const unwrittenResult = (cause: string, what = 'result') => `cannot write the ${what} to standard output: ${cause}`;

/**
 * A run that prints several result lines (`printResult`, one per file) hears here whether stdout took them: a
 * failed write (`> /dev/full`, a reader gone) is kept rather than left to crash the process, and `unwritten` gives
 * the words for it once the run is over.
 */
export function watchResultWrites(out: NodeJS.WritableStream = process.stdout) {
  let failure: unknown;
  const heard = (error: unknown) => (failure ??= error);
  out.on('error', heard);
  return {
    unwritten: () =>
      failure === undefined ? undefined : unwrittenResult(standardOutputCause(errorCode(failure)), 'results'),
    stop: () => out.off('error', heard),
  };
}

/** The one result line, its newline included. */
function resultLine({ operation, name, path, outcome, detail, output, files, startedMs, exitCode }: ClientResult) {
  const result = {
    ok: exitCode === 0,
    operation,
    name,
    path,
    outcome: outcome?.outcome ?? 'not_started',
    code: outcome?.code ?? CODE_BEFORE_SESSION[exitCode] ?? 'not_started',
    detail: outcome?.detail ?? detail,
    bytes: outcome?.bytes ?? 0,
    duration_ms: Math.round(performance.now() - startedMs),
    exit_code: exitCode,
    output,
    files,
  };
  // A peer's words in `detail` or `output` may hold C1 and the like, which JSON.stringify leaves raw: escaped.
  return `${jsonEscapedUnshown(JSON.stringify(result))}\n`;
}

/** The fields of a client's `--log-format json` line that say how it ended. */
export const outcomeFields = ({ outcome, exitCode }: { outcome?: SessionOutcome; exitCode: number }) => ({
  outcome: outcome?.outcome ?? 'not_started',
  code: outcome?.code,
  bytes: outcome?.bytes ?? 0,
  exit_code: exitCode,
});

/** What one run is about, as the result object names it, and the protocol and server its log lines name. */
export type RunSubject = Pick<ClientResult, 'operation' | 'name' | 'path'> & { protocol?: string; peer?: string };

/**
 * One client run as it goes: what it would print on stdout, its notes and errors on stderr, and the
 * session's outcome. Without `--json` it prints as it goes; with it, stdout gets only the final object
 * (stdout text kept in `output`, notes left out) and errors stay one line on stderr. With
 * `--log-format json`, every stderr line is a JSON object with the run's fields, as the transfer
 * client's are, ending with an `"event":"end"` line (an error's, or how it went when not `--json`).
 */
export class ClientReport {
  private readonly startedMs = performance.now();
  /** What was printed, undefined while nothing was: an empty listing prints `''`, an upload nothing at all. */
  private output?: string;
  private outcome?: SessionOutcome;
  private detail?: string;
  /** `--log-format json`: the logger every stderr line goes through. */
  private readonly log?: Logger;
  private startLogged = false;
  /** Whether the `"event":"end"` line is out (an error writes it at once). */
  private endLogged = false;
  private unwritten = unwrittenResult;

  constructor(
    private readonly command: string,
    readonly json: boolean,
    private readonly subject: RunSubject,
    logFormat: LogFormat = 'pretty',
  ) {
    this.log = jsonNotes({ 'log-format': logFormat });
  }

  /** The fields every JSON line of the run carries. */
  private get about() {
    const { protocol, peer, operation, name, path } = this.subject;
    return { connection: 'client', protocol, peer, operation, name, path };
  }

  /**
   * `--log-format json`: the run's first line, said before it connects (client-session.ts `starting`), so that
   * every run that gets that far has a start and an end, one that cannot connect too. Said once per run.
   */
  start(): void {
    if (this.startLogged) return;
    this.startLogged = true;
    const { operation, name, peer } = this.subject;
    const what = operation === undefined || operation === this.command ? this.command : `${this.command} ${operation}`;
    const words = [what, name, peer && `via ${peer}`].filter((word) => word !== undefined && word !== '');
    this.log?.info(words.join(' '), { ...this.about, event: 'start' });
  }

  /** Where prompts go: stdout, except with `--json`, whose stdout holds the object alone. */
  get promptStream(): NodeJS.WritableStream {
    return this.json ? process.stderr : process.stdout;
  }

  /** Whether the run's `"event":"end"` line is the report's (`--log-format json`): the session then writes none. */
  get writesEndLine(): boolean {
    return this.log !== undefined;
  }

  /** Text for stdout. */
  print(text: string | Buffer): void {
    if (this.json) this.output = `${this.output ?? ''}${text.toString()}`;
    else process.stdout.write(text);
  }

  /** A line saying how it went, on stderr; the object says it with `--json`. */
  note(line: string): void {
    if (this.json) return;
    if (this.log) this.log.info(line, { ...this.about, event: 'note', outcome: this.outcome?.outcome });
    else process.stderr.write(`${printable(line)}\n`);
  }

  /** The session's end, for the object's outcome, code and bytes. */
  ended(outcome: SessionOutcome): SessionOutcome {
    this.outcome = outcome;
    return outcome;
  }

  /** The one error line (a usage error's ending with where to look); returns `exitCode`. */
  fail(exitCode: number, message: string): number {
    // A session that ended well whose result this side could not keep (a message taken, then unwritable): its fields
    // say so, not `ok` beside exit 7.
    if (this.outcome?.ok && exitCode === EXIT.localFile)
      this.outcome = { ...this.outcome, ok: false, code: 'file.unwritable' satisfies FileCode };
    const line = `${message}${exitCode === EXIT.usage ? '; see --help' : ''}`;
    if (this.log) {
      this.log.error(line, { ...this.about, event: 'end', ...this.ending(exitCode) });
      this.endLogged = true;
    } else process.stderr.write(`wirestate ${this.command} client: ${printable(line)}\n`);
    this.detail ??= message;
    return exitCode;
  }

  private ending(exitCode: number) {
    return { ...outcomeFields({ outcome: this.outcome, exitCode }), duration_ms: this.elapsedMs() };
  }

  private elapsedMs(): number {
    return Math.round(performance.now() - this.startedMs);
  }

  /**
   * What the one error line says when `--json`'s object cannot be written on stdout (`> /dev/full`), told why
   * (`no space left on the device (ENOSPC)`): what the run did that only the object would have told.
   */
  whenUnwritten(words: (cause: string) => string): void {
    this.unwritten = words;
  }

  /**
   * The run is over: with `--json`, the object; with `--log-format json`, the end line if no error wrote it. Returns
   * `exitCode`, or 7 when the object cannot be written (one line says so).
   */
  async finish(exitCode: number): Promise<number> {
    if (this.json)
      try {
        const result = { ...this.subject, outcome: this.outcome, detail: this.detail, output: this.output };
        await streamWritten(process.stdout, resultLine({ ...result, startedMs: this.startedMs, exitCode }));
      } catch (error) {
        return this.fail(EXIT.localFile, this.unwritten(standardOutputCause(errorCode(error))));
      }
    if (this.log && !this.endLogged && this.outcome) {
      const { outcome, bytes } = this.outcome;
      const seconds = this.elapsedMs() / 1000;
      const took = `in ${seconds.toFixed(2)} s`;
      // An outcome that moved nothing (an empty queue) has no size or rate to tell.
      this.log.info(
        bytes > 0
          ? `${outcomeProse(outcome)}: ${formatBytes(bytes)} ${took} (${formatRate(bytes, seconds)})`
          : `${outcomeProse(outcome)} ${took}`,
        {
          ...this.about,
          event: 'end',
          ...this.ending(exitCode),
        },
      );
    }
    return exitCode;
  }
}

/** A client's handler that runs with a report and ends with `--json`'s object. */
export const reported =
  <A extends { json: boolean; 'log-format': LogFormat }>(
    command: string,
    subjectOf: (args: A) => RunSubject,
    run: (args: A, report: ClientReport) => Promise<number>,
  ) =>
  async (args: A): Promise<number> => {
    const report = new ClientReport(command, args.json, subjectOf(args), args['log-format']);
    return report.finish(await run(args, report));
  };

/** The report of a one-line client (upper, sum): its protocol names the operation, the server is `--host`:`--port`. */
export const lineClientReported = <A extends { json: boolean; 'log-format': LogFormat; host: string; port: number }>(
  protocol: string,
  nameOf: (args: A) => string | undefined,
  run: (args: A, report: ClientReport) => Promise<number>,
) =>
  reported(
    protocol,
    (args: A) => ({ protocol, peer: hostPort(args.host, args.port), operation: protocol, name: nameOf(args) }),
    run,
  );

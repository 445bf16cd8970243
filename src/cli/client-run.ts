/**
 * `wirestate client` once its flags are read: every file they name (`-v`/`-l` pairs, then `--list-file`),
 * at most `--parallel` at once, each over its own connection. One file reports as the seed's client did
 * (progress, one line, one JSON object); several give a line per file and a summary, and the run exits
 * with the highest code any file got.
 */
import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { errorCode } from '../storage/errors';
import { CAPABILITY, IMPLEMENTED } from '../../machines/transfer/extension-frames';
import { ClientLogicPool } from '../../machines/transfer/client-logic-pool';
import { EXIT } from '../engine/exit-codes';
import { formatBytes, formatRate } from '../log/logger';
import { isStandardStream } from '../storage/standard-stream-name';
import type { ClientArgs } from './client-options';
import { CommandError } from './command-error';
import { DownloadFolders } from './download-folders';
import { errnoWords } from '../log/errno-words';
import { parseHostPort } from './host-port';
import { UNWRITTEN, outcomeFields, printResult, sayRunError, watchResultWrites, writeResult } from './json-result';
import { jsonNotes, loggerFrom } from './logger-from';
import { Progress } from './progress';
import { runAtMost } from './run-at-most';
import { RunLedger } from './run-ledger';
import { sayCutPartsWith, whenSignalled } from './stop-on-signal';
import { signalExitCode, signalWords } from './signal-words';
import { removeStaleDownloads } from './stale-downloads';
import { RoomPromises } from '../storage/room-promises';
import {
  notConnected,
  transferFile,
  type InterruptedLine,
  transferLineFields,
  type FileResult,
  type TransferSettings,
} from './transfer-file';
import { printable } from './printable';
import { ListLineError, parseTransferList, type FilePair } from './transfer-list';

/** Runs every file and returns the process exit code. */
export async function runClient(args: ClientArgs): Promise<number> {
  if (args.list) return (await import('./list-run')).runList(args);
  // A run that cannot start throws a CommandError: the one failure line (cli.ts) says why.
  const files = await filesOf(args);
  const jsonLines = jsonNotes(args);
  if (jsonLines) sayCutPartsWith((words, fields) => jsonLines.warn(words, fields));
  if (args.mode === 'download') {
    const notes = new Progress(process.stderr, args.quiet || args.json, jsonLines);
    for (const path of await removeStaleDownloads(
      files.map(({ local }) => local).filter((local) => !isStandardStream(local)),
    ))
      notes.line(`removed ${path}, left by an interrupted download`);
  }
  const { host, port } = parseHostPort(args.server);
  const settings: TransferSettings = {
    operation: args.mode,
    host,
    port,
    idleTimeoutMs: args['idle-timeout'] * 1000,
    ...(!args.plain && {
      hello: {
        // Resume trusts a kept prefix only because the whole file's SHA-256 is checked: it goes with --verify.
        capabilities: args.verify ? IMPLEMENTED : IMPLEMENTED & ~(CAPABILITY.sha256 | CAPABILITY.resume),
        waitMs: args['hello-wait'] * 1000,
      },
    }),
    session: args,
    log: loggerFrom(args, 'error'),
    machines: new ClientLogicPool(),
    folders: new DownloadFolders(files.length > 1),
    room: new RoomPromises(),
  };
  return files.length === 1 ? runOne(files[0], settings, args) : runMany(files, settings, args);
}

/** The seed client's run: a progress bar or a line at the start and the end, `wirestate client: ...` on failure. */
async function runOne(file: FilePair, settings: TransferSettings, args: ClientArgs): Promise<number> {
  const notes = jsonNotes(args);
  const progress = new Progress(process.stderr, args.quiet || args.json, notes);
  const startedMs = performance.now();
  // Said as a failure is, -q and --json too: the line alone (or its JSON end line), then --json's object.
  const sayInterrupted = (line: InterruptedLine) => {
    const { fields, outcome, exitCode } = interruptedEnd(line, startedMs);
    if (notes) notes.error(line.words, fields);
    else process.stderr.write(`${printable(line.words)}\n`);
    if (args.json) printResult({ ...resultFields(file, settings, { exitCode, startedMs }), outcome });
  };
  const result = await transferFile(file, settings, 'client', progress, sayInterrupted);
  const seconds = progress.elapsed();
  const end = endFields(file, settings, result, 'client', seconds * 1000);
  progress.clear();
  if (result.problem) {
    if (notes) notes.error(result.problem, end);
    else process.stderr.write(`wirestate client: ${printable(result.problem)}\n`);
  } else if (result.outcome) {
    const { outcome, bytes } = result.outcome;
    progress.line(`${outcome} ${formatBytes(bytes)} in ${seconds.toFixed(2)} s${rateNote(result, seconds)}`, end);
  }
  return args.json ? writeResult(resultFields(file, settings, result), 'client', notes) : result.exitCode;
}

/**
 * Several files: a line for each as it ends (a failure always, a success unless -q or --json), then a summary;
 * with `--log-format json` each is a JSON object, a file's with the fields of runOne's end line. A signal stops the
 * run at once (stop-on-signal.ts): a line for each file in flight and each not started, then the summary.
 */
async function runMany(files: FilePair[], settings: TransferSettings, args: ClientArgs): Promise<number> {
  const startedMs = performance.now();
  const notes = jsonNotes(args);
  const quietFile = new Progress(process.stderr, true);
  const ledger = new RunLedger(files.length);
  const resultWrites = args.json ? watchResultWrites() : undefined;
  const arrowOf = (file: FilePair) =>
    settings.operation === 'download' ? `${file.remote} -> ${file.local}` : `${file.local} -> ${file.remote}`;
  const sayFailed = (file: FilePair, words: string, fields: Record<string, unknown>) => {
    if (notes) notes.error(`${arrowOf(file)}: ${words}`, fields);
    else process.stderr.write(`wirestate client: ${printable(`${arrowOf(file)}: ${words}`)}\n`);
  };
  const summary = (codes: number[], unsynced: number, stop?: Stop) => {
    if (args.quiet || args.json) return;
    sayRunSummary(files.length, codes, unsynced, (performance.now() - startedMs) / 1000, settings, notes, stop);
  };
  const stopReporting = whenSignalled((signal) => {
    const exitCode = signalExitCode(signal);
    const unfinished = ledger.unfinished();
    for (const left of unfinished) {
      const file = files[left.index];
      const lineFields = transferLineFields(file, settings, `client-${left.index + 1}`);
      const about = { ...lineFields, signal, exit_code: exitCode };
      if ('notStarted' in left) {
        sayFailed(file, `not started (${signalWords(signal)})`, { ...about, event: 'not_started' });
        if (args.json) printResult(resultFields(file, settings, { exitCode, startedMs: performance.now() }));
        continue;
      }
      const line = left.interrupted ?? notConnected(lineFields, signal);
      const { fields, outcome } = interruptedEnd(line, left.startedMs);
      sayFailed(file, line.words, { ...about, ...fields });
      if (args.json) printResult({ ...resultFields(file, settings, { exitCode, startedMs: left.startedMs }), outcome });
    }
    const notStarted = unfinished.filter((left) => 'notStarted' in left).length;
    summary(ledger.endedCodes(), 0, { signal, interrupted: unfinished.length - notStarted, notStarted });
  });
  let saidFewer = false;
  const results = await runAtMost(files, args.parallel, async (file, index, putBack) => {
    const connection = `client-${index + 1}`;
    ledger.started(index);
    const result = await transferFile(file, settings, connection, quietFile, (line) => ledger.interrupted(index, line));
    // A server at its limit of connections from one address: the run adapts to it rather than fail the file.
    if (result.connectionRefused && putBack()) {
      ledger.putBack(index);
      if (!saidFewer) {
        const line = `the server reset connections before replying (too many at once from here?): going on with fewer files at once`;
        if (notes) notes.warn(line, { event: 'fewer_at_once', operation: settings.operation });
        else process.stderr.write(`wirestate client: ${line}\n`);
      }
      saidFewer = true;
      return EXIT.ok;
    }
    const ms = performance.now() - result.startedMs;
    const end = endFields(file, settings, result, connection, ms);
    if (result.problem) sayFailed(file, result.problem, end);
    else if (result.outcome && !args.quiet && !args.json) {
      const { outcome, bytes } = result.outcome;
      const line = `${outcome} ${arrowOf(file)}: ${formatBytes(bytes)} in ${(ms / 1000).toFixed(3)} s`;
      if (notes) notes.info(line, end);
      else process.stderr.write(`${printable(line)}\n`);
    }
    if (args.json) printResult(resultFields(file, settings, result));
    ledger.ended(index, result.exitCode);
    // Every file has said its line: a signal from now on changes nothing (stop-on-signal.ts), the run ends with its
    // own summary and exit code (before, one as the last folder was synced said `3 of 3 files done ... exit 130`).
    if (ledger.allEnded()) stopReporting();
    return result.exitCode;
  });
  // Every file arrived is on disk to stay before the run says it is done (download-folders.ts).
  const unsynced = await settings.folders.syncCommitted();
  stopReporting();
  for (const { folder, error } of unsynced)
    sayRunError(
      `cannot sync ${folder}, where files arrived: ${errnoWords(errorCode(error))}`,
      { event: 'sync_failed', folder },
      'client',
      notes,
    );
  summary(results, unsynced.length);
  // The files are there all the same; what stdout did not take is one line, and exit 7.
  const unwritten = resultWrites?.unwritten();
  resultWrites?.stop();
  if (unwritten) sayRunError(unwritten, UNWRITTEN, 'client', notes);
  return Math.max(worstCode(results, unsynced.length), unwritten ? EXIT.localFile : EXIT.ok);
}

/** The run's exit code: the highest any file got, 7 when a folder where files arrived could not be synced. */
const worstCode = (codes: number[], unsynced: number) =>
  Math.max(EXIT.ok, ...codes, ...(unsynced > 0 ? [EXIT.localFile] : []));

/** What a signal stopped: its name, the files in flight it interrupted and those it left not started. */
interface Stop {
  signal: NodeJS.Signals;
  interrupted: number;
  notStarted: number;
}

/**
 * The run's last line: `2 of 3 files done in 0.12 s (17 files/s); 1 failed, exit 3`; stopped by a signal, the files
 * it stopped too (`; 1 interrupted (Ctrl-C), 4 not started, exit 130`). `codes`: those of the files that ended.
 */
function sayRunSummary(
  count: number,
  codes: number[],
  unsynced: number,
  seconds: number,
  settings: TransferSettings,
  notes: ReturnType<typeof jsonNotes>,
  stop?: Stop,
): void {
  const failed = codes.filter((code) => code !== EXIT.ok).length;
  const done = codes.length - failed;
  const exitCode = stop ? signalExitCode(stop.signal) : worstCode(codes, unsynced);
  const after = [
    ...(failed ? [`${failed} failed`] : []),
    ...(stop
      ? [`${stop.interrupted} interrupted (${signalWords(stop.signal)})`, `${stop.notStarted} not started`]
      : []),
  ];
  const line =
    `${done} of ${count} files done in ${seconds.toFixed(2)} s${done ? ` (${filesPerSecond(done, seconds)})` : ''}` +
    (after.length > 0 ? `; ${after.join(', ')}, exit ${exitCode}` : '');
  if (!notes) return void process.stderr.write(`${line}\n`);
  notes.info(line, {
    event: 'summary',
    operation: settings.operation,
    files: count,
    done,
    failed,
    ...(stop && { interrupted: stop.interrupted, not_started: stop.notStarted, signal: stop.signal }),
    exit_code: exitCode,
    duration_ms: Math.round(seconds * 1000),
  });
}

/** The fields of a file's `"event":"end"` line: which file over which connection, how it ended, how long it took. */
const endFields = (file: FilePair, settings: TransferSettings, result: FileResult, connection: string, ms: number) => ({
  ...transferLineFields(file, settings, connection),
  event: 'end',
  ...outcomeFields(result),
  duration_ms: Math.round(ms),
});

/** A transfer a signal stopped in flight: its line's fields (those of an end line too), --json's outcome, the exit code. */
function interruptedEnd(line: InterruptedLine, startedMs: number) {
  const exitCode = signalExitCode(line.signal);
  const ending = { outcome: 'interrupted', code: 'client.signal' };
  const durationMs = Math.round(performance.now() - startedMs);
  return {
    fields: { ...line.fields, ...ending, exit_code: exitCode, duration_ms: durationMs },
    outcome: { ok: false, ...ending, bytes: line.bytes, detail: line.words },
    exitCode,
  };
}

const resultFields = (file: FilePair, settings: TransferSettings, result: FileResult) => ({
  operation: settings.operation,
  name: file.remote,
  path: file.local,
  outcome: result.outcome,
  detail: result.problem,
  startedMs: result.startedMs,
  exitCode: result.exitCode,
});

/** The names Linux gives the process's own stdin. */
const STDIN_NAMES = ['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0'];

/** The files the flags name: the `-v`/`-l` pairs (the seed's defaults for a lone one), then the list's lines. */
async function filesOf(args: ClientArgs): Promise<FilePair[]> {
  const remotes = args['server-file-name'] ?? [];
  const locals = args['client-file-name'] ?? [];
  const listFile = args['list-file'];
  const paired =
    remotes.length > 1
      ? remotes.map((remote, index) => ({ remote, local: locals[index] }))
      : remotes.length + locals.length > 0 || listFile === undefined
        ? [{ remote: remotes[0] ?? 'server.txt', local: locals[0] ?? 'client.txt' }]
        : [];
  const files = [...paired, ...(listFile === undefined ? [] : await readList(listFile))];
  if (files.length > 1) await refuseWhatTakesOneFile(files, args);
  // The list took stdin: an upload from `-` (or a name of stdin such as /dev/stdin) would find it empty.
  const fromStdin =
    listFile !== undefined && isStandardStream(listFile) && args.mode === 'upload'
      ? files.find((file) => isStandardStream(file.local) || STDIN_NAMES.includes(resolve(file.local)))
      : undefined;
  if (fromStdin)
    throw new CommandError(
      `--list-file - reads the list from stdin, which leaves none for an upload from ${fromStdin.local || '-'}: name a local file`,
      EXIT.usage,
    );
  return files;
}

async function readList(path: string): Promise<FilePair[]> {
  const shown = isStandardStream(path) ? 'stdin' : path;
  let text: string;
  try {
    text = isStandardStream(path) ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new CommandError(`cannot read --list-file ${shown}: ${errnoWords(errorCode(error))}`, EXIT.localFile);
  }
  try {
    return parseTransferList(text);
  } catch (error) {
    if (error instanceof ListLineError) throw new CommandError(`--list-file ${shown}: ${error.message}`, EXIT.usage);
    throw error;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Standard streams, the inspector and one local file for two downloads each make sense for one file only. */
async function refuseWhatTakesOneFile(files: FilePair[], args: ClientArgs): Promise<void> {
  if (files.some((file) => isStandardStream(file.local)))
    throw new CommandError('- (stdin or stdout) takes one file a run; name a local file for each', EXIT.usage);
  if (args.inspect !== undefined || args['inspect-stately'])
    throw new CommandError('--inspect watches one transfer: give one file', EXIT.usage);
  if (args.mode === 'download') {
    const seen = new Map<string, string>();
    const realFolders = new Map<string, Promise<string>>();
    for (const { local } of files) {
      const file = await landingPath(local, realFolders);
      const earlier = seen.get(file);
      if (earlier !== undefined) {
        const same = earlier === local ? '' : ` (${earlier} is the same file)`;
        throw new CommandError(`two downloads into ${local}${same}: give each its own local file`, EXIT.usage);
      }
      seen.set(file, local);
    }
  }
}

/**
 * The file a download's local name leads to: its folder's real path (through any link) and its name. `realFolders`
 * keeps each folder's, so a list of many files into one folder asks the system once.
 */
async function landingPath(local: string, realFolders: Map<string, Promise<string>>): Promise<string> {
  const path = resolve(local);
  const folder = dirname(path);
  let real = realFolders.get(folder);
  if (real === undefined) {
    real = realpath(folder).catch(() => folder);
    realFolders.set(folder, real);
  }
  return join(await real, basename(path));
}

/** The end line's rate: none for an empty file (`uploaded 0 B in 0.09 s`), this run's bytes only for a resumed one. */
function rateNote({ outcome, resumedFrom }: FileResult, seconds: number): string {
  const bytes = outcome?.bytes ?? 0;
  if (resumedFrom !== undefined)
    return ` (resumed: ${formatBytes(bytes - resumedFrom)} this time, ${formatRate(bytes - resumedFrom, seconds)})`;
  return bytes > 0 ? ` (${formatRate(bytes, seconds)})` : '';
}

/** `190 files/s`, and for a slow run `0.5 files/s` (two files in 4.2 s read `0 files/s`). */
export const filesPerSecond = (files: number, seconds: number): string => {
  const rate = files / seconds;
  return `${rate.toFixed(rate < 10 ? 1 : 0)} files/s`;
};

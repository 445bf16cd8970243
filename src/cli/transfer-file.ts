/**
 * One file over one connection, as the transfer protocol moves it: checks the local side, runs the client
 * machine, and says how it ended. `wirestate client` calls it once per file, however many files a run has.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ClientActor } from '../engine/session-actor';
import { TRANSFER_PROTOCOL, transferClientOf } from '../../machines/transfer/client-connection';
import type { ClientLogicPool } from '../../machines/transfer/client-logic-pool';
import type { ClientInput } from '../../machines/transfer/client';
import { errorCode } from '../storage/errors';
import { EXIT, FILE_TRANSFER_EXITS, exitCodeFor } from '../engine/exit-codes';
import type { SessionOutcome } from '../engine/protocol';
import type { Logger } from '../log/logger';
import type { LocalFile } from '../storage/file-store';
import { localFile } from '../storage/local-file';
import { deviceOutput } from '../storage/device-output';
import { standardOutput, type SpooledInput } from '../storage/standard-streams';
import { isStandardStream } from '../storage/standard-stream-name';
import { uploadSource, whileCopyingWords } from './upload-source';
import { keptDownload } from '../storage/kept-download';
import { lockDownload } from '../storage/download-lock';
import type { RoomPromises } from '../storage/room-promises';
import { uploadIdOf } from '../storage/upload-id';
import { formatBytes } from '../log/logger';
import { hasCapability } from '../../machines/transfer/extension-frames';
import { CannotConnect, runClientSession, type ClientSessionArgs } from './client-session';
import { withProxyHint } from './proxy-port-hint';
import { entryKind, type DownloadFolders } from './download-folders';
import { errnoWords } from '../log/errno-words';
import { noRoomCause } from './no-room-cause';
import { outcomeWords } from './outcome-words';
import { localFailureWords } from './local-failure-words';
import type { Progress } from './progress';
import { UploadSent } from './upload-sent';
import type { FilePair } from './transfer-list';
import { hostPort } from '../loop/peer-name';
import { stopBeforeSession } from './stop-on-signal';
import { signalWords } from './signal-words';
import { interruptedEnding, type TransferStand } from './interrupted-ending';

/** Where the kept bytes of a resumed transfer are. */
const resumedWhat = (operation: 'download' | 'upload') =>
  operation === 'download'
    ? 'kept here from an interrupted download'
    : 'the server kept them from an interrupted upload';

/** What every file of a run shares. */
export interface TransferSettings {
  operation: 'download' | 'upload';
  host: string;
  port: number;
  idleTimeoutMs: number;
  /** Say hello first, offering these extensions; absent: the plain protocol only (`--plain`). */
  hello?: ClientInput['hello'];
  session: ClientSessionArgs;
  log: Logger;
  /** The run's client machines, one built per transfer in flight. */
  machines: ClientLogicPool;
  /** The download folders, each read once for the run. */
  folders: DownloadFolders;
  /** The room promised to the run's downloads under way: those at once share the free space. */
  room: RoomPromises;
}

/** How one file went: its exit code, the session's outcome when there was one, and why in words when it failed. */
export interface FileResult {
  exitCode: number;
  outcome?: SessionOutcome;
  /** Set when the file failed: the line to show. */
  problem?: string;
  startedMs: number;
  /** A resumed transfer: the bytes an earlier attempt moved, which this run did not. */
  resumedFrom?: number;
  /**
   * The server reset the connection before any byte of its reply (a server at its connections limit): it refused
   * the connection, not the file, and took nothing of it (an upload's bytes follow the server's replies).
   */
  connectionRefused?: true;
}

/** The line a signal leaves of a transfer in flight, for a run that reports it itself (a run of several files). */
export interface InterruptedLine {
  /** `download interrupted (Ctrl-C) at 1.00 MiB of 8.00 MiB: nothing kept`. */
  words: string;
  /** Its `--log-format json` fields. */
  fields: Record<string, unknown>;
  bytes: number;
  signal: NodeJS.Signals;
}

/** The fields every `--log-format json` line about one file carries, its start and its end alike. */
export const transferLineFields = ({ remote, local }: FilePair, settings: TransferSettings, connection: string) => ({
  connection,
  protocol: 'transfer',
  operation: settings.operation,
  name: remote,
  path: local,
  peer: hostPort(settings.host, settings.port),
});

/** The line of a transfer a signal stopped before its connection was made, with the fields of one stopped in flight. */
export const notConnected = (
  about: ReturnType<typeof transferLineFields>,
  signal: NodeJS.Signals,
  words = `${about.operation} interrupted (${signalWords(signal)}) before it connected: nothing kept`,
): InterruptedLine => ({
  words,
  fields: { ...about, event: 'interrupted', signal, bytes: 0, resumable: false },
  bytes: 0,
  signal,
});

/**
 * Moves one file; `connection` names its log lines and trace (`client` for a run of one file).
 * `progress` shows its start, its bar and any note; the caller reports the result, and says the line a signal
 * leaves when one stops the transfer in flight (`interrupted`, after which the process exits).
 */
export async function transferFile(
  { remote, local: localName }: FilePair,
  settings: TransferSettings,
  connection: string,
  progress: Progress,
  interrupted: (line: InterruptedLine) => void,
): Promise<FileResult> {
  const startedMs = performance.now();
  const { operation, host, port } = settings;
  // What every line about this transfer carries under --log-format json, as a server's connection lines do.
  const about = transferLineFields({ remote, local: localName }, settings, connection);
  /** Lets the next download into the local file start (download-lock.ts). */
  let unlock = (): void => undefined;
  // From before a download's lock (an upload: once its input is read or copied) until the session holds its own
  // handler, a signal says this line: before, a signal meanwhile killed the process with neither line nor exit code.
  const stopEarly = () =>
    stopBeforeSession((signal) => {
      unlock();
      interrupted(notConnected(about, signal));
    });
  let stoppedEarly = operation === 'download' ? stopEarly() : () => undefined;
  const failed = (exitCode: number, problem: string, outcome?: SessionOutcome, refused?: boolean): FileResult => {
    stoppedEarly();
    return { exitCode, outcome, problem, startedMs, ...(refused && { connectionRefused: true }) };
  };
  let local: LocalFile;
  let size = 0;
  let spooled: SpooledInput | undefined;
  /** What a resumable transfer says of itself: a download what it kept, an upload its id. */
  let resumable: Pick<ClientInput, 'resume' | 'uploadId'> = {};
  try {
    if (operation === 'upload') {
      // A copy of stdin or a pipe handles a signal itself meanwhile (upload-source.ts): its line says the copy goes.
      const source = await uploadSource(localName, (signal) =>
        interrupted(notConnected(about, signal, whileCopyingWords(signal))),
      );
      stoppedEarly = stopEarly();
      if ('problem' in source) return failed(EXIT.localFile, source.problem);
      ({ spooled, size } = source);
      local = localFile(source.path);
      if (source.info) resumable = { uploadId: uploadIdOf(source.path, source.info) };
    } else if (isStandardStream(localName)) local = standardOutput(process.stdout);
    else {
      const localPath = resolve(localName);
      const listing = await settings.folders.listing(dirname(localPath));
      // `/` has no name in its parent folder (its kind there was "missing", and the rename failed with EXDEV).
      const kind =
        basename(localPath) === ''
          ? 'folder'
          : (listing?.kindOf(basename(localPath)) ?? entryKind(await stat(localPath).catch(() => undefined)));
      if (kind === 'folder')
        return failed(
          EXIT.localFile,
          `${localName} is a folder: name a file to download into, as ${join(localName, remote)}`,
        );
      // `-l dd/` names a folder, as cp and curl read it: not a file `dd` to make.
      if (localName.endsWith('/'))
        return failed(
          EXIT.localFile,
          `${localName} names a folder, and there is no such folder: name a file to download into`,
        );
      local =
        kind === 'device'
          ? deviceOutput(localPath)
          : localFile(localPath, remote, {
              folderEntries: listing?.keptNames,
              syncFolderLater: settings.folders.syncFolderLater,
              room: settings.room,
            });
      // A download replaces its file whole (a rename): over a pipe that would leave a file in the pipe's place.
      if (kind === 'other')
        return failed(
          EXIT.localFile,
          `${localName} is not a regular file: name a file to download into, or - for stdout`,
        );
      if (!listing && !(await stat(dirname(localPath))).isDirectory())
        return failed(EXIT.localFile, `${dirname(localPath)} is not a folder`);
      if (kind !== 'device') {
        const lock = lockDownload(localPath);
        if ('heldBy' in lock)
          return failed(
            EXIT.localFile,
            `another download is writing ${localName} (process ${lock.heldBy}; if none is, remove ${lock.path})`,
          );
        unlock = lock.release;
        resumable = { resume: keptDownload(localPath, remote, listing?.keptNames) };
      }
    }
  } catch (error) {
    unlock();
    return failed(EXIT.localFile, `cannot use ${localName}: ${errnoWords(errorCode(error))}`);
  }

  const input = {
    operation,
    serverName: remote,
    size,
    idleTimeoutMs: settings.idleTimeoutMs,
    ...(settings.hello && { hello: settings.hello, ...resumable }),
  };
  // An upload's bar follows the bytes that left; a download's, the machine's count of those that came.
  const sent = operation === 'upload' ? new UploadSent() : undefined;
  // Every byte acknowledged is not yet the file stored: the server confirms that once it has it on disk.
  const awaiting = sent && "waiting for the server's confirmation";
  // The run's start line: said once connected, before the first byte moves (or once the connection failed,
  // so that every run has its start and its end); then the progress follows the count.
  let saidStart = false;
  const sayStart = () => {
    if (saidStart) return;
    saidStart = true;
    const shown = isStandardStream(localName) ? (operation === 'download' ? 'stdout' : 'stdin') : localName;
    const arrow = operation === 'download' ? `${remote} -> ${shown}` : `${shown} -> ${remote}`;
    progress.line(`${operation} ${arrow} via ${hostPort(host, port)}`, { ...about, event: 'start' });
  };
  /** Where the transfer stands, for the line a signal leaves (interrupted-ending.ts). */
  const stand: TransferStand & { resumedFrom: number } = {
    bytes: 0,
    total: size,
    resumes: false,
    resumedFrom: 0,
    answered: false,
    stored: false,
    unconfirmed: false,
  };
  const sayInterrupted = (signal: NodeJS.Signals) => {
    unlock();
    progress.clear();
    const earlier = !stand.answered && (resumable.resume?.offset ?? 0) > 0 ? resumable.resume : undefined;
    const { words, bytes, resumable: resumes } = interruptedEnding(operation, stand, earlier);
    const fields = { ...about, event: 'interrupted', signal, bytes, resumable: resumes };
    interrupted({ words: `${operation} interrupted (${signalWords(signal)}) ${words}`, fields, bytes, signal });
  };
  const showProgress = (
    actor: ClientActor<{ bytes: number; size: number; fellBack: boolean; start?: number; agreed?: number }>,
  ) => {
    // The session holds its own signal handler now (client-session.ts), which says where the transfer stands.
    stoppedEarly();
    sayStart();
    // The bar from the start, before any byte moves or the server says anything: 0 B, 0 B/s, ETA ?, then redrawn
    // while nothing moves, so a peer that never takes a byte shows as a stall.
    progress.update(0, size, awaiting);
    // Without an error callback, xstate rethrows a failed machine's error and the process crashes; the session reports it.
    let fellBack = false;
    actor.subscribe({
      next: (snapshot) => {
        const { start, size: total } = snapshot.context;
        if (start !== undefined && !stand.answered) {
          stand.answered = true;
          const kept = resumable.resume?.offset ?? 0;
          if (start > 0) {
            progress.line(`resuming at ${formatBytes(start)} of ${formatBytes(total)}: ${resumedWhat(operation)}`);
            progress.resumedAt(start);
            stand.resumedFrom = start;
          } else if (kept > 0)
            progress.line('the file changed on the server since the interrupted download: starting over');
        }
        if (snapshot.context.fellBack && !fellBack) {
          fellBack = true;
          const waitS = (settings.hello?.waitMs ?? 0) / 1000;
          progress.line(
            `no reply to hello within ${waitS} s: going on with the plain protocol, no stored confirmation, no ` +
              'integrity check (an original server, or a slow link: a longer --hello-wait waits for its reply; ' +
              '--plain skips the wait)',
            { ...about, event: 'plain_fallback', hello_wait_s: waitS },
          );
        }
        if (snapshot.status === 'done') stand.stored = (snapshot.output as SessionOutcome | undefined)?.ok === true;
        stand.unconfirmed = (snapshot as { value?: unknown }).value === 'wait_upload_stored';
        sent?.handedOver(snapshot.context.bytes, start);
        const { agreed } = snapshot.context;
        const canResume = operation === 'upload' ? resumable.uploadId : resumable.resume;
        Object.assign(stand, {
          bytes: sent?.bytes ?? snapshot.context.bytes,
          total,
          resumes: canResume !== undefined && agreed !== undefined && hasCapability(agreed, 'resume'),
        });
        progress.update(stand.bytes, total, awaiting);
      },
      error: () => undefined,
    });
  };
  let outcome: SessionOutcome;
  let heard = 0;
  try {
    outcome = await settings.machines.lend(local, (logic) =>
      runClientSession(
        {
          protocol: TRANSFER_PROTOCOL,
          transport: 'tcp',
          host,
          port,
          spec: transferClientOf(logic, input),
          request: `${operation} ${JSON.stringify(remote)}`,
          connection,
          onSendProgress:
            sent &&
            ((waiting) => {
              sent.waiting(waiting);
              stand.bytes = sent.bytes;
              progress.update(sent.bytes, size, awaiting);
            }),
          sendsBulk: operation === 'upload',
          interrupted: sayInterrupted,
          heardBytes: (bytes) => (heard = bytes),
          // The caller's end line names the file and the exit code: the session's would say it twice.
          logsEnd: false,
        },
        settings.session,
        settings.log,
        showProgress,
      ),
    );
  } catch (error) {
    if (error instanceof CannotConnect) {
      sayStart();
      return failed(EXIT.cannotConnect, withProxyHint(error.message, port), undefined, error.errno === 'ECONNRESET');
    }
    throw error;
  } finally {
    stoppedEarly();
    await spooled?.remove();
    unlock();
    if (operation === 'download') settings.room.forget(resolve(localName));
  }
  if (!outcome.ok && outcome.outcome === 'no_room' && !isStandardStream(localName)) {
    const cause = noRoomCause(resolve(localName), outcome);
    return failed(EXIT.localFile, cause.words, cause.outcome);
  }
  if (!outcome.ok && outcome.outcome === 'local_error')
    return failed(EXIT.localFile, localFailureWords(localName, outcome), outcome);
  // A reset before the server said a word is a refused connection whether it came at connect or just after (the
  // timing falls either way): exit 6, as at connect, not 5.
  const refused = outcome.code === 'socket.error' && heard === 0;
  if (!outcome.ok)
    return failed(
      refused ? EXIT.cannotConnect : exitCodeFor(outcome.outcome, FILE_TRANSFER_EXITS),
      outcomeWords(outcome.outcome, outcome.detail),
      outcome,
      refused,
    );
  return { exitCode: EXIT.ok, outcome, startedMs, ...(stand.resumedFrom > 0 && { resumedFrom: stand.resumedFrom }) };
}

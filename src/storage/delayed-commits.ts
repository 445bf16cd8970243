/**
 * Fault injection for tests: every upload's store begins `delayMs` after its last byte has arrived,
 * so a test can kill the server in the window between the last byte and the store
 * (`WIRESTATE_TEST_COMMIT_DELAY_MS`, read by the transfer and queue server commands; unset, nothing changes).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingFile, KeptPart, ServerFiles } from './file-store';

export const COMMIT_DELAY_VARIABLE = 'WIRESTATE_TEST_COMMIT_DELAY_MS';

/** `files` whose incoming files commit `delayMs` late; every other call goes to `files` itself. */
export function delayedCommits<Files extends ServerFiles>(files: Files, delayMs: number): Files {
  const delayed = (incoming: IncomingFile): IncomingFile => ({
    stream: incoming.stream,
    kept: incoming.kept,
    commit: async () => {
      await sleep(delayMs);
      await incoming.commit();
    },
    abort: () => incoming.abort(),
    ...(incoming.discard && { discard: () => incoming.discard?.() }),
  });
  const receive = (ref: string) => delayed(files.receive(ref));
  const resumable = files.receiveResumable?.bind(files);
  return Object.assign(Object.create(files) as Files, {
    receive,
    ...(resumable && { receiveResumable: (ref: string, kept: KeptPart) => delayed(resumable(ref, kept)) }),
  });
}

/** `files` with the delay the environment asks for, if any. */
export function withTestCommitDelay<Files extends ServerFiles>(files: Files, env = process.env): Files {
  const delayMs = Number(env[COMMIT_DELAY_VARIABLE] ?? 0);
  return delayMs > 0 ? delayedCommits(files, delayMs) : files;
}

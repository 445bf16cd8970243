/**
 * Fault injection for tests: every upload's store begins `delayMs` after its last byte has arrived,
 * so a test can kill the server in the window between the last byte and the store
 * (`WIRESTATE_TEST_COMMIT_DELAY_MS`, read by the transfer and queue server commands; unset, nothing changes).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { IncomingFile, ServerFiles } from './file-store';

export const COMMIT_DELAY_VARIABLE = 'WIRESTATE_TEST_COMMIT_DELAY_MS';

/** `files` whose incoming files commit `delayMs` late; every other call goes to `files` itself. */
export function delayedCommits<Files extends ServerFiles>(files: Files, delayMs: number): Files {
  const receive = (ref: string): IncomingFile => {
    const incoming = files.receive(ref);
    return {
      stream: incoming.stream,
      commit: async () => {
        await sleep(delayMs);
        await incoming.commit();
      },
      abort: () => incoming.abort(),
    };
  };
  return Object.assign(Object.create(files) as Files, { receive });
}

/** `files` with the delay the environment asks for, if any. */
export function withTestCommitDelay<Files extends ServerFiles>(files: Files, env = process.env): Files {
  const delayMs = Number(env[COMMIT_DELAY_VARIABLE] ?? 0);
  return delayMs > 0 ? delayedCommits(files, delayMs) : files;
}

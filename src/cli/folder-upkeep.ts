/**
 * What a server that stores files does to its folder before it serves it, and while it does: removes the
 * temporary files a stopped server left and, for a transfer server, the interrupted uploads it kept for
 * their clients to resume (`--resume-keep`) once they are kept too long: at start, then by a sweep at most
 * every minute. `wirestate server` and `serve-all` share it, so both keep and drop the same files.
 */
import type { Argv } from 'yargs';
import type { Logger } from '../log/logger';
import type { FolderFiles } from '../storage/folder-files';
import { removeExpiredUploads, sweepExpiredUploads } from '../storage/kept-uploads';
import { removeStaleTempFiles } from '../storage/temp-names';

/** How long a server keeps an interrupted upload by default: ten minutes. */
const DEFAULT_RESUME_KEEP_S = 600;
/** How often, at most, a server looks for kept uploads past their time. */
const SWEEP_EVERY_MS = 60_000;

/** The most seconds the hello reply can say (32 bits). */
const MOST_RESUME_KEEP_S = 0xffffffff;

/** `--resume-keep`, checked: whole seconds that fit the hello reply. Unset means the default (`resumeKeepOf`). */
export function withResumeKeepOption<T>(yargs: Argv<T>) {
  return yargs
    .option('resume-keep', {
      type: 'number',
      defaultDescription: String(DEFAULT_RESUME_KEEP_S),
      describe: 'Seconds the transfer server keeps an interrupted upload for its client to resume; 0 turns resume off',
    })
    .check((args) => {
      const keep = args['resume-keep'];
      if (keep !== undefined && (!Number.isInteger(keep) || keep < 0 || keep > MOST_RESUME_KEEP_S))
        throw new Error(`--resume-keep must be a whole number of seconds from 0 to ${MOST_RESUME_KEEP_S}, not ${keep}`);
      return true;
    });
}

/** The seconds `--resume-keep` says, or its default. */
export const resumeKeepOf = (args: { 'resume-keep'?: number }): number => args['resume-keep'] ?? DEFAULT_RESUME_KEEP_S;

/**
 * Clears `folder` of temporary files a stopped server left; with `resumeKeepSeconds` (a transfer server),
 * also of kept uploads older than that (all of them for 0: resume is off), and sweeps them from then on.
 */
export async function upkeepServedFolder(folder: FolderFiles, log: Logger, resumeKeepSeconds?: number): Promise<void> {
  const stale = await removeStaleTempFiles(folder.root, { recursive: true });
  if (stale.length > 0)
    log.warn(`removed ${stale.length} temporary file(s) left by a stopped server: ${stale.join(', ')}`, {
      event: 'removed',
      paths: stale,
    });
  if (resumeKeepSeconds === undefined) return;
  const keepMs = resumeKeepSeconds * 1000;
  const expired = await removeExpiredUploads(folder.root, keepMs, folder.liveParts);
  const why = keepMs > 0 ? 'kept too long' : 'kept for resume, which --resume-keep 0 turns off';
  if (expired.length > 0)
    log.info(`removed ${expired.length} interrupted upload(s) ${why}: ${expired.join(', ')}`, {
      event: 'removed',
      paths: expired,
    });
  if (keepMs > 0)
    sweepExpiredUploads(folder.root, keepMs, folder.liveParts, Math.min(keepMs, SWEEP_EVERY_MS), (paths) =>
      paths.forEach((path) =>
        log.info(`removed ${path}: an interrupted upload kept ${resumeKeepSeconds} s`, {
          event: 'removed',
          paths: [path],
        }),
      ),
    );
}

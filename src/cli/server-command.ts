/** `wirestate server`: serve one folder over the transfer protocol. */
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import type { CommandBody } from './command-body';
import { TRANSFER_PORT, transferServer } from '../../machines/transfer';
import { openServedFolder } from './served-folder';
import { removeStaleTempFiles } from '../storage/temp-names';
import { removeExpiredUploads, sweepExpiredUploads } from '../storage/kept-uploads';

/** How long a server keeps an interrupted upload by default: ten minutes. */
const DEFAULT_RESUME_KEEP_S = 600;
/** How often, at most, a server looks for kept uploads past their time. */
const SWEEP_EVERY_MS = 60_000;
import { valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import { isPort } from './host-port';
import { serve, withServerOptions } from './serve';
import { readOnly } from '../storage/read-only-files';
import { withTestCommitDelay } from '../storage/delayed-commits';
import { warnIfOpenToUploads, withUploadOptions } from './upload-safety';

const builder = (yargs: Argv) =>
  withUploadOptions(withServerOptions(yargs))
    .option('listen-port', { alias: 'l', type: 'number', default: TRANSFER_PORT, describe: 'TCP port to listen on' })
    .option('root', { type: 'string', default: './files', describe: 'Folder to serve; created if absent' })
    .option('resume-keep', {
      type: 'number',
      default: DEFAULT_RESUME_KEEP_S,
      describe: 'Seconds an interrupted upload is kept for its client to resume; 0 turns resume off',
    })
    .check((args) => {
      if (!Number.isInteger(args['resume-keep']) || args['resume-keep'] < 0 || args['resume-keep'] > 0xffffffff)
        throw new Error('--resume-keep must be a whole number of seconds, 0 or more');
      if (!isPort(args['listen-port'])) throw new Error(`--listen-port must be 0..65535, got ${args['listen-port']}`);
      return true;
    })
    .epilog(
      examples(
        ['$0 server', 'serve ./files on port 50001'],
        ['$0 server -l 50001 --root /srv/files --host 127.0.0.1', 'serve another folder, loopback only'],
      ),
    );

type Args = Awaited<ReturnType<typeof builder>['argv']>;

async function handler(args: Args): Promise<void> {
  const log = loggerFrom(args);
  const folder = await openServedFolder(args.root);
  const files = withTestCommitDelay(args['read-only'] ? readOnly(folder) : folder);
  const stale = await removeStaleTempFiles(files.root, { recursive: true });
  if (stale.length > 0)
    log.warn(`removed ${stale.length} temporary file(s) left by a stopped server: ${stale.join(', ')}`, {
      event: 'removed',
      paths: stale,
    });
  const keepMs = args['resume-keep'] * 1000;
  const expired = await removeExpiredUploads(files.root, keepMs, folder.liveParts);
  if (expired.length > 0)
    log.info(`removed ${expired.length} interrupted upload(s) kept too long: ${expired.join(', ')}`, {
      event: 'removed',
      paths: expired,
    });
  const protocol = transferServer(files, {
    maxUploadSize: args['max-size'],
    idleTimeoutMs: args['idle-timeout'] * 1000,
    resumeKeepSeconds: args['resume-keep'],
  });
  if (keepMs > 0)
    sweepExpiredUploads(files.root, keepMs, folder.liveParts, Math.min(keepMs, SWEEP_EVERY_MS), (paths) =>
      paths.forEach((path) =>
        log.info(`removed ${path}: an interrupted upload kept ${args['resume-keep']} s`, {
          event: 'removed',
          paths: [path],
        }),
      ),
    );
  await serve(args, log, [{ transport: 'tcp', port: args['listen-port'], protocol }]);
  log.info(`serving ${files.root}`, { event: 'serving', root: files.root });
  // Once listening: a --root or a port that stops the start is the one line said.
  warnIfOpenToUploads(log, args, 'the transfer server accepts');
}

/** `wirestate server` and `wirestate transfer server`. */
export const serverBody: CommandBody = { builder: valuesRequired(builder), handler };

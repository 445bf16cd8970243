/** `wirestate server`: serve one folder over the transfer protocol. */
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import type { CommandBody } from './command-body';
import { TRANSFER_PORT, transferServer } from '../../machines/transfer';
import { openServedFolder } from './served-folder';
import { resumeKeepOf, upkeepServedFolder, withResumeKeepOption } from './folder-upkeep';
import { valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import { listenPortArgument } from './server-port-argument';
import { serve, withServerOptions } from './serve';
import { readOnly } from '../storage/read-only-files';
import { withTestCommitDelay } from '../storage/delayed-commits';
import { warnIfOpenToUploads, withUploadOptions } from './upload-safety';

const builder = (yargs: Argv) =>
  withResumeKeepOption(withUploadOptions(withServerOptions(yargs)))
    .option('listen-port', {
      alias: 'l',
      ...listenPortArgument('listen-port', '--listen-port', 'TCP port to listen on'),
      default: TRANSFER_PORT,
    })
    .option('root', { type: 'string', default: './files', describe: 'Folder to serve; created if absent' })
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
  const resumeKeepSeconds = resumeKeepOf(args);
  await upkeepServedFolder(folder, log, resumeKeepSeconds);
  const protocol = transferServer(files, {
    maxUploadSize: args['max-size'],
    idleTimeoutMs: args['idle-timeout'] * 1000,
    resumeKeepSeconds,
  });
  await serve(args, log, [{ transport: 'tcp', port: args['listen-port'], protocol }]);
  log.info(`serving ${files.root}`, { event: 'serving', root: files.root });
  // Once listening: a --root or a port that stops the start is the one line said.
  warnIfOpenToUploads(log, args, 'the transfer server accepts');
}

/** `wirestate server` and `wirestate transfer server`. */
export const serverBody: CommandBody = { builder: valuesRequired(builder), handler };

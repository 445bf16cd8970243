/** `wirestate server`: serve one folder over the transfer protocol. */
import type { Argv } from 'yargs';
import { transferServer } from '../../machines/transfer';
import { FolderFiles } from '../storage/folder-files';
import { startTcpServer, type TcpServer } from '../loop/tcp-server';
import { loggerFrom, withLogOptions, withRecordOption } from './common-options';
import { isPort } from './host-port';
import { startInspection, withInspectOptions, type Inspection } from './inspect-options';

const builder = (yargs: Argv) =>
  withInspectOptions(withRecordOption(withLogOptions(yargs)))
    .option('listen-port', { alias: 'l', type: 'number', default: 50001, describe: 'TCP port to listen on' })
    .option('host', { type: 'string', default: '0.0.0.0', describe: 'Address to bind (127.0.0.1 for this machine only)' })
    .option('root', { type: 'string', default: './files', describe: 'Folder to serve; created if absent' })
    .option('max-size', { type: 'number', default: Number.MAX_SAFE_INTEGER, defaultDescription: 'no limit', describe: 'Largest upload accepted, in bytes' })
    .check((args) => {
      if (!isPort(args['listen-port'])) throw new Error(`--listen-port must be 0..65535, got ${args['listen-port']}`);
      if (!Number.isInteger(args['max-size']) || args['max-size'] < 0) throw new Error('--max-size must be a whole number of bytes');
      return true;
    })
    .example('$0 server', 'serve ./files on port 50001')
    .example('$0 server -l 50001 --root /srv/files --host 127.0.0.1', 'serve another folder, loopback only');

type Args = Awaited<ReturnType<typeof builder>['argv']>;

async function handler(args: Args): Promise<void> {
  const log = loggerFrom(args, false);
  let server: TcpServer | undefined;
  let inspection: Inspection | undefined;
  // Installed before anything starts, so a signal during start-up still ends the process cleanly.
  const stop = (signal: string) => {
    log.info(`${signal}: no longer accepting connections`);
    void Promise.all([server?.close(), inspection?.server?.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const files = await FolderFiles.open(args.root);
  inspection = await startInspection(args, log);
  server = await startTcpServer({
    host: args.host,
    port: args['listen-port'],
    protocol: transferServer(files, { maxUploadSize: args['max-size'] }),
    log,
    recordDir: args.record,
    watch: inspection?.watch,
  });
  log.info(`serving ${files.root}`);
}

/** Adds `server` to the CLI. */
export function serverCommand<T>(yargs: Argv<T>) {
  return yargs.command('server', 'Serve a folder over the transfer protocol (seed 002)', builder, handler);
}

/** `wirestate server`: serve one folder over the transfer protocol. */
import type { Argv } from 'yargs';
import { transferServer } from '../../machines/transfer';
import { FolderFiles } from '../storage/folder-files';
import { removeStaleTempFiles } from '../storage/temp-names';
import { startTcpServer, type TcpServer } from '../loop/tcp-server';
import { loggerFrom, withIdleTimeout, withLogOptions, withRecordOption } from './common-options';
import { isPort } from './host-port';
import { startInspection, withInspectOptions, type Inspection } from './inspect-options';

const builder = (yargs: Argv) =>
  withIdleTimeout(withInspectOptions(withRecordOption(withLogOptions(yargs))))
    .option('listen-port', { alias: 'l', type: 'number', default: 50001, describe: 'TCP port to listen on' })
    .option('host', { type: 'string', default: '0.0.0.0', describe: 'Address to bind (127.0.0.1 for this machine only)' })
    .option('root', { type: 'string', default: './files', describe: 'Folder to serve; created if absent' })
    .option('max-size', { type: 'number', default: Number.MAX_SAFE_INTEGER, defaultDescription: 'no limit', describe: 'Largest upload accepted, in bytes' })
    .option('max-connections', { type: 'number', default: 256, describe: 'Connections open at once; more are closed at once and logged' })
    .option('grace', { type: 'number', default: 10, describe: 'On SIGINT/SIGTERM, seconds transfers in flight may take to finish' })
    .check((args) => {
      if (!(args['max-connections'] >= 1)) throw new Error('--max-connections must be at least 1');
      if (!(args.grace >= 0)) throw new Error('--grace must be 0 or more seconds');
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
  let stopping = false;
  const stop = (signal: string) => {
    // The first signal lets transfers in flight finish for up to --grace; a second one does not wait.
    const graceMs = stopping ? 0 : args.grace * 1000;
    if (stopping) log.warn(`${signal} again: stopping now`);
    else log.info(`${signal}: no longer accepting connections; ${server?.open ?? 0} in flight get up to ${args.grace} s to finish`);
    stopping = true;
    void Promise.all([server?.close(graceMs), inspection?.server?.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const files = await FolderFiles.open(args.root);
  const stale = await removeStaleTempFiles(files.root, { recursive: true });
  if (stale.length > 0) log.warn(`removed ${stale.length} temporary file(s) left by a stopped server: ${stale.join(', ')}`);
  inspection = await startInspection(args, log);
  server = await startTcpServer({
    host: args.host,
    port: args['listen-port'],
    protocol: transferServer(files, { maxUploadSize: args['max-size'], idleTimeoutMs: args['idle-timeout'] * 1000 }),
    log,
    recordDir: args.record,
    maxConnections: args['max-connections'],
    watch: inspection?.watch,
  });
  log.info(`serving ${files.root}`);
}

/** Adds `server` to the CLI. */
export function serverCommand<T>(yargs: Argv<T>) {
  return yargs.command('server', 'Serve a folder over the transfer protocol (seed 002)', builder, handler);
}

/**
 * `wirestate serve-all`: every protocol's server on its default port, in one
 * process, one loop, one log and one inspector, the file-serving ones
 * sharing one folder. Adding a protocol adds its line to `ALL`.
 */
import { randomInt } from 'node:crypto';
import type { Argv } from 'yargs';
import { ARDEI_MAX_REQUEST, ARDEI_TCP_PORT, ARDEI_UDP_PORT } from '../../machines/ardei/codec';
import { ardeiAdvancedServer, ardeiTcpServer, ardeiUdpServer } from '../../machines/ardei';
import { ADVANCED_MAX_COMMAND, ADVANCED_PORT } from '../../machines/ardei/advanced-codec';
import { ARDEI_UDP_DEFAULTS, ARDEI_UDP_MAX_RATE } from '../../machines/ardei/udp-server';
import { blocksServer } from '../../machines/blocks';
import { BLOCKS_MAX_REQUEST, BLOCKS_PORT } from '../../machines/blocks/codec';
import { queueServer } from '../../machines/queue';
import { DEFAULT_MAX_MESSAGE, QUEUE_PORT } from '../../machines/queue/codec';
import { MessageQueue } from '../../machines/queue/message-queue';
import { shareServer } from '../../machines/share';
import { SHARE_MAX_REQUEST, SHARE_PORT } from '../../machines/share/codec';
import { sumServer } from '../../machines/sum';
import { HIGHEST, LOWEST, SUM_MAX_REQUEST, SUM_PORT } from '../../machines/sum/codec';
import { transferServer } from '../../machines/transfer';
import { upperServer } from '../../machines/upper';
import { UPPER_MAX_REQUEST, UPPER_PORT } from '../../machines/upper/codec';
import { FolderFiles } from '../storage/folder-files';
import { removeStaleTempFiles } from '../storage/temp-names';
import { loggerFrom } from './common-options';
import { isPort } from './host-port';
import { serve, withServerOptions, type Listener } from './serve';
import { DEFAULT_QUIET_MS } from '../engine/text-request';

/** What every server is built from here. */
interface Shared {
  files: FolderFiles;
  idleTimeoutMs: number;
  quietMs: number;
}

/** The default ports run from SHARE_PORT (the lowest) to QUEUE_PORT (the highest). */
const TRANSFER_PORT = 50001;

/** Every protocol's servers with their defaults: one line per protocol. */
const ALL: ((shared: Shared) => Listener[])[] = [
  ({ files, idleTimeoutMs }) => [{ transport: 'tcp', port: TRANSFER_PORT, protocol: transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER, idleTimeoutMs }) }],
  ({ idleTimeoutMs }) => {
    const queue = new MessageQueue(); // one queue, whichever transport a message comes by
    return (['tcp', 'udp'] as const).map((transport) => ({ transport, port: QUEUE_PORT, protocol: queueServer(queue, transport, { maxMessage: DEFAULT_MAX_MESSAGE, idleTimeoutMs }) }));
  },
  (text) => [{ transport: 'tcp', port: UPPER_PORT, protocol: upperServer({ ...text, maxRequest: UPPER_MAX_REQUEST }) }],
  (text) => [
    { transport: 'tcp', port: SUM_PORT, protocol: sumServer({ ...text, serverName: 'Server of wirestate', serverNumber: randomInt(LOWEST, HIGHEST + 1), maxRequest: SUM_MAX_REQUEST }) },
  ],
  ({ files, ...text }) => [{ transport: 'tcp', port: BLOCKS_PORT, protocol: blocksServer(files, { ...text, maxRequest: BLOCKS_MAX_REQUEST }) }],
  ({ files, ...text }) => [{ transport: 'tcp', port: SHARE_PORT, protocol: shareServer(files, { ...text, maxRequest: SHARE_MAX_REQUEST }) }],
  ({ files, ...text }) => [
    { transport: 'tcp', port: ARDEI_TCP_PORT, protocol: ardeiTcpServer({ ...text, maxRequest: ARDEI_MAX_REQUEST }) },
    { transport: 'udp', port: ARDEI_UDP_PORT, protocol: ardeiUdpServer(ARDEI_UDP_DEFAULTS, ARDEI_UDP_MAX_RATE) },
    { transport: 'tcp', port: ADVANCED_PORT, protocol: ardeiAdvancedServer(files, { ...text, maxRequest: ADVANCED_MAX_COMMAND }) },
  ],
];

const builder = (yargs: Argv) =>
  withServerOptions(yargs)
    .option('root', { type: 'string', default: './files', describe: 'Folder served by transfer, blocks, share and ardei advanced; created if absent' })
    .option('port-offset', { type: 'number', default: 0, describe: 'Added to every default port (to run beside servers already on them)' })
    .check((args) => {
      // The highest default port is the queue's.
      if (!(Number.isInteger(args['port-offset']) && isPort(QUEUE_PORT + args['port-offset']) && isPort(SHARE_PORT + args['port-offset']))) {
        throw new Error(`--port-offset ${args['port-offset']} takes a port outside 0..65535`);
      }
      return true;
    })
    .example('$0 serve-all --inspect', 'every seed at once, watched in one inspector on http://127.0.0.1:50080/');

async function handler(args: Awaited<ReturnType<typeof builder>['argv']>): Promise<void> {
  const log = loggerFrom(args, false);
  const files = await FolderFiles.open(args.root);
  const stale = await removeStaleTempFiles(files.root, { recursive: true });
  if (stale.length > 0) log.warn(`removed ${stale.length} temporary file(s) left by a stopped server: ${stale.join(', ')}`);
  const shared: Shared = { files, idleTimeoutMs: args['idle-timeout'] * 1000, quietMs: DEFAULT_QUIET_MS };
  const listeners = ALL.flatMap((servers) => servers(shared)).map((listener) => ({ ...listener, port: listener.port + args['port-offset'] }));
  await serve(args, log, listeners);
  log.info(`serving ${files.root}; a sum client sending a number outside 1..100 stops the sum server, the others go on`);
}

/** Adds `serve-all`. */
export const serveAllCommand = <T>(yargs: Argv<T>) => yargs.command('serve-all', "Every protocol's server on its default port, in one process", builder, handler);

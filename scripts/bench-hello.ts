/**
 * `npm run bench-hello`: what the hello costs (docs/protocol-extensions.md). A 1 KiB download, one
 * connection each, with the hello and with `--plain`'s plain request, against a wirestate server
 * (the hello is answered: one round trip more) and against `ftpeer.py serve`, which answers like the
 * original (no reply: the client waits W, then falls back), direct and through the stammer proxy.
 * Runs alternate hello and plain; medians are printed. Loopback only; every loop is bounded in count,
 * every transfer in time.
 */
import type { ClientActor } from '../src/engine/session-actor';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { transferClient } from '../machines/transfer';
import type { ClientInput } from '../machines/transfer/client';
import { HELLO_WAIT_MS, IMPLEMENTED } from '../machines/transfer/extension-frames';
import { runConnection } from '../src/loop/connection';
import { connectTcp } from '../src/loop/tcp-connect';
import { startProxy } from '../src/proxy/stammer-proxy';
import { localFile } from '../src/storage/local-file';
import { CLI, median, printTable, startServer } from './bench-kit';
import { temporaryFolder, undoOnSignals } from './bench-interrupt';
import { freePort } from '../src/test-support/processes';

const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
const FILE_SIZE = 1024;

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .scriptName('npm run bench-hello --')
    .option('rounds', { type: 'number', default: 10, describe: 'Downloads per case (hello and plain alternate)' })
    .option('ftpeer', {
      type: 'string',
      default: join(process.cwd(), '..', 'shared', 'tools', 'ftpeer.py'),
      describe: 'The independent seed-protocol server (answers like the original)',
    })
    .option('timeout', { type: 'number', default: 60, describe: 'Seconds any one process or transfer may take' })
    .strict()
    .help()
    .parseAsync();
  undoOnSignals();
  const { path: work, remove: removeWork } = await temporaryFolder(tmpdir(), 'wirestate-bench-hello-');
  const root = join(work, 'root');
  await mkdir(root);
  await writeFile(join(root, 'small.bin'), Buffer.alloc(FILE_SIZE, 'x'));
  const servers = [
    await startServer(
      'wirestate',
      process.execPath,
      [CLI, 'server', '-l', '0', '--host', '127.0.0.1', '--root', root],
      /listening on 127\.0\.0\.1:(\d+)/,
      args.timeout,
    ),
  ];
  if (existsSync(args.ftpeer)) {
    // ftpeer.py serve cannot report a port it did not choose: one the OS gave free just before.
    const port = await freePort();
    servers.push(
      await startServer(
        'ftpeer.py serve',
        'python3',
        [args.ftpeer, 'serve', String(port), root],
        /listening/,
        args.timeout,
        port,
      ),
    );
  } else console.log(`ftpeer.py not found at ${args.ftpeer}: its rows are left out`);
  console.log(`hello cost: ${FILE_SIZE} B download, ${args.rounds} rounds each, W = ${HELLO_WAIT_MS} ms`);
  const rows = [['server', 'path', 'hello ms', 'plain ms', 'hello costs ms', 'fell back']];
  try {
    for (const server of servers) {
      for (const viaProxy of [false, true]) {
        const proxy = viaProxy
          ? await startProxy({
              host: '127.0.0.1',
              port: 0,
              upstream: { host: '127.0.0.1', port: server.port },
              maxFragment: 1024,
              maxDelayMs: 2,
              seed: 1,
              log: silent,
            })
          : undefined;
        const port = proxy?.address.port ?? server.port;
        const hello: number[] = [];
        const plain: number[] = [];
        let fellBack = 0;
        for (let round = 0; round < args.rounds; round++) {
          const withHello = await download(port, join(work, `h${round}.bin`), true, args.timeout);
          hello.push(withHello.ms);
          if (withHello.fellBack) fellBack++;
          plain.push((await download(port, join(work, `p${round}.bin`), false, args.timeout)).ms);
        }
        await proxy?.close();
        rows.push([
          server.name,
          viaProxy ? 'stammer proxy' : 'direct',
          median(hello).toFixed(1),
          median(plain).toFixed(1),
          (median(hello) - median(plain)).toFixed(1),
          `${fellBack}/${args.rounds}`,
        ]);
      }
    }
    printTable(rows);
  } finally {
    for (const server of servers) server.stop();
    await removeWork();
  }
}

/** One download over its own connection, timed from connect to stored; whether the client fell back. */
async function download(port: number, path: string, hello: boolean, timeoutSeconds: number) {
  const input: ClientInput = {
    operation: 'download',
    serverName: 'small.bin',
    size: 0,
    idleTimeoutMs: timeoutSeconds * 1000,
    ...(hello && { hello: { capabilities: IMPLEMENTED, waitMs: HELLO_WAIT_MS } }),
  };
  const started = performance.now();
  const socket = await connectTcp('127.0.0.1', port);
  let fellBack = false;
  const outcome = await runConnection(socket, transferClient(localFile(path), input), {
    id: 'bench',
    log: silent,
    watch: (actor: ClientActor<{ fellBack: boolean }>) =>
      actor.subscribe((snapshot) => (fellBack ||= snapshot.context.fellBack)),
  }).finished;
  if (!outcome.ok)
    throw new Error(`download ${hello ? 'with hello' : 'plain'} failed: ${outcome.outcome} ${outcome.detail ?? ''}`);
  return { ms: performance.now() - started, fellBack };
}

main().catch((error: unknown) => {
  console.error(`bench-hello failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

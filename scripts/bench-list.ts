/**
 * `npm run bench-list`: what listing a big folder costs a wirestate server (docs/protocol-extensions.md,
 * "Listing `l`"). Fills a temp folder with `--files` empty files, starts `wirestate server` on it, and
 * runs `wirestate client --list --json` while 1 KiB downloads run one after another on other connections.
 * Prints the listing's time and size, the server's peak memory (VmHWM) before and after, and the slowest
 * download during the listing: a listing that blocked the server's loop would show there. Loopback only;
 * the downloads are bounded in count, every process and transfer in time.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { transferClient } from '../machines/transfer';
import { HELLO_WAIT_MS, IMPLEMENTED } from '../machines/transfer/extension-frames';
import { runConnection } from '../src/loop/connection';
import { connectTcp } from '../src/loop/tcp-connect';
import { localFile } from '../src/storage/local-file';
import { run } from '../src/test-support/processes';
import { CLI, median, printTable, startServer } from './bench-kit';
import { temporaryFolder, undoOnSignals } from './bench-interrupt';

const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
/** Files written at once while the folder is filled. */
const FILL_BATCH = 500;
/** Downloads during the listing, at most. */
const MAX_DOWNLOADS = 10_000;

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .scriptName('npm run bench-list --')
    .option('files', { type: 'number', default: 100_000, describe: 'Files in the listed folder' })
    .option('timeout', { type: 'number', default: 120, describe: 'Seconds the listing may take' })
    .strict()
    .help()
    .parseAsync();
  undoOnSignals();
  const { path: work, remove: removeWork } = await temporaryFolder(tmpdir(), 'wirestate-bench-list-');
  const root = join(work, 'root');
  await mkdir(root);
  for (let first = 0; first < args.files; first += FILL_BATCH) {
    const batch = Array.from({ length: Math.min(FILL_BATCH, args.files - first) }, (_, index) => first + index);
    await Promise.all(batch.map((number) => writeFile(join(root, `file-${String(number).padStart(6, '0')}.txt`), '')));
  }
  await writeFile(join(root, 'small.bin'), Buffer.alloc(1024, 'x'));
  const server = await startServer(
    'wirestate',
    process.execPath,
    [CLI, 'server', '-l', '0', '--host', '127.0.0.1', '--root', root],
    /listening on 127\.0\.0\.1:(\d+)/,
    args.timeout,
  );
  try {
    const peakBefore = peakKiB(server.child.pid!);
    const started = performance.now();
    let listing = true;
    const listed = run(process.execPath, [CLI, 'client', '-s', `127.0.0.1:${server.port}`, '--list', '--json'], {
      timeoutMs: args.timeout * 1000,
    }).finally(() => (listing = false));
    const downloads: number[] = [];
    while (listing && downloads.length < MAX_DOWNLOADS)
      downloads.push(await download(server.port, join(work, 'got.bin')));
    const result = await listed;
    const seconds = (performance.now() - started) / 1000;
    if (result.code !== 0 && result.stdout === '') throw new Error(`the list client failed: ${result.stderr}`);
    const object = JSON.parse(result.stdout) as { ok: boolean; files?: unknown[]; bytes: number };
    if (!object.ok || object.files?.length !== args.files + 1)
      throw new Error(`the listing failed or is short: ${result.stdout.slice(0, 300)} ${result.stderr}`);
    printTable([
      [
        'files',
        'listing s',
        'listing bytes',
        'server peak RSS before',
        'after',
        'downloads meanwhile',
        'median ms',
        'slowest ms',
      ],
      [
        String(object.files.length),
        seconds.toFixed(2),
        String(object.bytes),
        `${(peakBefore / 1024).toFixed(1)} MiB`,
        `${(peakKiB(server.child.pid!) / 1024).toFixed(1)} MiB`,
        String(downloads.length),
        median(downloads).toFixed(1),
        Math.max(...downloads).toFixed(1),
      ],
    ]);
  } finally {
    server.stop();
    await removeWork();
  }
}

/** The process's peak resident memory so far, in KiB (Linux's VmHWM). */
function peakKiB(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

/** One 1 KiB download with the hello over its own connection; its time from connect to stored, in ms. */
async function download(port: number, path: string): Promise<number> {
  const started = performance.now();
  const socket = await connectTcp('127.0.0.1', port);
  const spec = transferClient(localFile(path), {
    operation: 'download',
    serverName: 'small.bin',
    size: 0,
    idleTimeoutMs: 30_000,
    hello: { capabilities: IMPLEMENTED, waitMs: HELLO_WAIT_MS },
  });
  const outcome = await runConnection(socket, spec, { id: 'bench', log: silent }).finished;
  if (!outcome.ok) throw new Error(`a download during the listing failed: ${outcome.outcome} ${outcome.detail ?? ''}`);
  await rm(path, { force: true });
  return performance.now() - started;
}

main().catch((error: unknown) => {
  console.error(`bench-list failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

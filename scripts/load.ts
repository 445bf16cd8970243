/**
 * `npm run load`: N clients at once against a wirestate server on loopback,
 * mixing uploads and downloads of random sizes, every file checked by sha256.
 * Prints throughput, p50/p99 transfer time, errors, and the server's peak RSS
 * and open file descriptors. Bounded by --timeout.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { transferClient } from '../machines/transfer';
import type { ClientInput } from '../machines/transfer/client';
import { runConnection } from '../src/loop/connection';
import { connectTcp } from '../src/loop/tcp-connect';
import { localFile } from '../src/storage/local-file';
import { seededRandom } from '../src/engine/seeded-random';
import { isSize, parseSize } from './bench-kit';
import { EXIT } from '../src/engine/exit-codes';
import { inUserWords } from '../src/cli/usage-words';

const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');
const MiB = 1024 * 1024;
const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });

interface Job {
  input: ClientInput;
  local: string;
  expected: string;
}

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .scriptName('npm run load --')
    .option('clients', { type: 'number', default: 200, describe: 'Clients running at once' })
    .option('max-size', { type: 'string', default: '2M', describe: 'Largest file; sizes are random from 0 to this' })
    .option('seed', { type: 'number', default: 1, describe: 'Seed for sizes and the mix' })
    .option('timeout', { type: 'number', default: 300, describe: 'Seconds the whole run may take' })
    .check((argv) => {
      if (!Number.isInteger(argv.clients) || argv.clients < 1)
        throw new Error(`--clients must be a whole number of 1 or more, got ${argv.clients}`);
      if (!(argv.timeout > 0)) throw new Error(`--timeout must be a number of seconds above 0, got ${argv.timeout}`);
      if (!isSize(argv['max-size']))
        throw new Error(`--max-size must be a size (2M, 512K, 1000), not "${argv['max-size']}"`);
      return true;
    })
    .strict()
    .help()
    // Bad usage as every wirestate command says it: one line and where to look, exit 2, not the whole usage and 1.
    .fail((message: string | null, error: Error | undefined) => {
      const said = inUserWords(String(message ?? error?.message), hideBin(process.argv), ['load']);
      console.error(`npm run load: ${said}; see --help`);
      process.exit(EXIT.usage);
    })
    .parseAsync();
  const random = seededRandom(args.seed);
  const maxSize = parseSize(args['max-size']);
  const base = await mkdtemp(join(tmpdir(), 'wirestate-load-'));
  const root = join(base, 'root');
  const local = join(base, 'local');
  await mkdir(root);
  await mkdir(local);
  const deadline = setTimeout(() => {
    console.error(`load run exceeded ${args.timeout} s`);
    process.exit(1);
  }, args.timeout * 1000);

  try {
    const jobs: Job[] = [];
    for (let i = 0; i < args.clients; i++) {
      const content = randomBytes(Math.floor(random() * maxSize));
      const expected = createHash('sha256').update(content).digest('hex');
      if (random() < 0.5) {
        await writeFile(join(root, `down-${i}.bin`), content);
        jobs.push({
          input: { operation: 'download', serverName: `down-${i}.bin`, size: 0 },
          local: join(local, `got-${i}.bin`),
          expected,
        });
      } else {
        await writeFile(join(local, `up-${i}.bin`), content);
        jobs.push({
          input: { operation: 'upload', serverName: `up-${i}.bin`, size: content.length },
          local: join(local, `up-${i}.bin`),
          expected,
        });
      }
    }
    const totalBytes = jobs.reduce((sum, job) => sum + (job.input.operation === 'upload' ? job.input.size : 0), 0);

    const server = spawn(
      process.execPath,
      [
        CLI,
        'server',
        '-l',
        '0',
        '--host',
        '127.0.0.1',
        '--root',
        root,
        '--max-connections',
        String(args.clients + 16),
        '--max-per-address',
        String(args.clients + 16),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const port = await new Promise<number>((resolve, reject) => {
      let seen = '';
      server.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /listening on [\d.]+:(\d+)/.exec(seen);
        if (match) resolve(Number(match[1]));
      });
      server.once('exit', (code) => reject(new Error(`server exited ${String(code)}`)));
    });
    let peakFds = 0;
    const sampler = setInterval(() => {
      readdir(`/proc/${String(server.pid)}/fd`).then(
        (fds) => (peakFds = Math.max(peakFds, fds.length)),
        () => undefined,
      );
    }, 50);

    const started = performance.now();
    const results = await Promise.all(jobs.map((job) => runJob(job, port)));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);

    const errors: string[] = [];
    for (const [index, result] of results.entries()) {
      const job = jobs[index];
      if (!result.ok) {
        errors.push(`${job.input.operation} ${job.input.serverName}: ${result.outcome}`);
        continue;
      }
      const stored = job.input.operation === 'upload' ? join(root, job.input.serverName) : job.local;
      const actual = createHash('sha256')
        .update(await readFile(stored))
        .digest('hex');
      if (actual !== job.expected) errors.push(`${job.input.operation} ${job.input.serverName}: sha256 differs`);
    }
    const moved = results.reduce((sum, result) => sum + result.bytes, 0);
    const times = results.map((result) => result.seconds).sort((a, b) => a - b);
    const percentile = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
    const status = await readFile(`/proc/${String(server.pid)}/status`, 'utf8');
    const peakRss = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
    server.kill('SIGTERM');

    console.log(
      `${args.clients} clients at once, ${jobs.filter((job) => job.input.operation === 'upload').length} uploads, ${(moved / MiB).toFixed(1)} MiB moved (${(totalBytes / MiB).toFixed(1)} MiB up)`,
    );
    console.log(`wall time ${seconds.toFixed(2)} s, throughput ${(moved / MiB / seconds).toFixed(1)} MiB/s`);
    console.log(
      `transfer time p50 ${(percentile(50) * 1000).toFixed(0)} ms, p99 ${(percentile(99) * 1000).toFixed(0)} ms`,
    );
    console.log(`errors ${errors.length}${errors.length ? `: ${errors.slice(0, 5).join('; ')}` : ''}`);
    console.log(`server peak RSS ${peakRss.toFixed(1)} MiB, peak open file descriptors ${peakFds}`);
    if (errors.length > 0) process.exitCode = 1;
  } finally {
    clearTimeout(deadline);
    await rm(base, { recursive: true, force: true });
  }
}

async function runJob(
  job: Job,
  port: number,
): Promise<{ ok: boolean; outcome: string; bytes: number; seconds: number }> {
  const started = performance.now();
  try {
    const socket = await connectTcp('127.0.0.1', port);
    const outcome = await runConnection(socket, transferClient(localFile(job.local), job.input), {
      id: job.input.serverName,
      log: silent,
    }).finished;
    return { ...outcome, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return {
      ok: false,
      outcome: `cannot connect: ${String((error as { code?: string }).code)}`,
      bytes: 0,
      seconds: (performance.now() - started) / 1000,
    };
  }
}

main().catch((error: unknown) => {
  console.error(`load failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

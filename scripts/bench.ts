/**
 * `npm run bench`: moves one large file up and down over loopback, with
 * wirestate and with the plain Node.js pipe (scripts/plain-pipe.ts), in
 * interleaved rounds, and prints MiB/s for both, their ratio and the
 * wirestate server's peak RSS. Every run is bounded by --timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');
const PLAIN = join(__dirname, 'plain-pipe.js');
const MiB = 1024 * 1024;

/** Parses sizes like 1G, 256M, 64K or plain bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMG]i?B?)?$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text}`);
  const unit = (match[2] ?? '').toUpperCase()[0];
  const scale = unit === 'K' ? 1024 : unit === 'M' ? MiB : unit === 'G' ? 1024 * MiB : 1;
  return Math.round(Number(match[1]) * scale);
}

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .scriptName('npm run bench --')
    .option('size', { type: 'string', default: '1G', describe: 'File size (bytes, or with K/M/G)' })
    .option('rounds', { type: 'number', default: 4, describe: 'Rounds; each rotates the order of the steps (use 6 with --inspect)' })
    .option('dir', {
      type: 'string',
      default: existsSync('/dev/shm') ? '/dev/shm' : tmpdir(),
      describe: 'Where the files live (RAM by default, so the disk does not set the pace)',
    })
    .option('timeout', { type: 'number', default: 300, describe: 'Seconds any one transfer may take' })
    .option('inspect', { type: 'boolean', default: false, describe: 'Also time a second server running with --inspect, to show what inspection costs' })
    .strict()
    .help()
    .parseAsync();
  const size = parseSize(args.size);
  const work = await mkdtemp(join(args.dir, 'wirestate-bench-'));
  const root = join(work, 'root');
  const source = join(root, 'source.bin');
  try {
    await run(process.execPath, [CLI, 'server', '--help'], args.timeout); // warm the module cache
    await makeFile(source, size);
    console.log(`file ${(size / MiB).toFixed(0)} MiB in ${work}, ${args.rounds} rounds, loopback`);

    const startServer = async (...extra: string[]) => {
      const port = await freePort();
      const child = spawn(process.execPath, [CLI, 'server', '--host', '127.0.0.1', '-l', String(port), '--root', root, ...extra], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await waitForLine(child, 'listening', args.timeout);
      return { port, child };
    };
    const { port, child: server } = await startServer();
    const inspected = args.inspect ? await startServer('--inspect', '0') : undefined;

    const rates: Record<string, number[]> = { 'plain download': [], 'wirestate download': [], 'plain upload': [], 'wirestate upload': [] };
    if (inspected) Object.assign(rates, { 'inspected download': [], 'inspected upload': [] });
    for (let round = 1; round <= args.rounds; round++) {
      const out = join(work, `out-${round}.bin`);
      const plainOut = join(work, `plain-${round}.bin`);
      const uploaded = join(root, `up-${round}.bin`);
      const client =
        (...extra: string[]) =>
        (via = port) =>
          run(process.execPath, [CLI, 'client', '-q', '-s', `127.0.0.1:${via}`, ...extra], args.timeout);
      const steps: [string, () => Promise<number>][] = [
        ['plain download', () => plainDownload(source, plainOut, size, args.timeout)],
        ['wirestate download', () => timed(size, () => client('-v', 'source.bin', '-l', out)())],
        ['plain upload', () => plainUpload(source, plainOut, size, args.timeout)],
        ['wirestate upload', () => timed(size, () => client('-m', 'upload', '-v', `up-${round}.bin`, '-l', source)()).then(async (rate) => (await verifySize(uploaded, size), rate))],
      ];
      if (inspected) {
        steps.push(
          ['inspected download', () => timed(size, () => client('-v', 'source.bin', '-l', out)(inspected.port))],
          ['inspected upload', () => timed(size, () => client('-m', 'upload', '-v', `up-${round}.bin`, '-l', source)(inspected.port)).then(async (rate) => (await verifySize(uploaded, size), rate))],
        );
      }
      // Rotate the order every round: a step run right after another's large write to tmpfs is measurably
      // slower, so each step takes each position in turn (use at least as many rounds as steps).
      const order = steps.map((_, index) => (index + round - 1) % steps.length);
      for (const index of order) {
        const [name, step] = steps[index];
        rates[name].push(await step());
        if (name.endsWith('download') && !name.startsWith('plain')) await verifySize(out, size);
        await Promise.all([rm(plainOut, { force: true }), rm(uploaded, { force: true }), rm(out, { force: true })]);
      }
      console.log(
        `round ${round}: ` + Object.entries(rates).map(([name, list]) => `${name} ${list[list.length - 1].toFixed(0)} MiB/s`).join(', '),
      );
    }
    const peakRss = await peakRssMiB(server.pid!);
    server.kill('SIGTERM');
    inspected?.child.kill('SIGTERM');

    console.log('\ndirection  plain MiB/s  wirestate MiB/s  ratio');
    for (const direction of ['download', 'upload']) {
      const plain = median(rates[`plain ${direction}`]);
      const ours = median(rates[`wirestate ${direction}`]);
      console.log(`${direction.padEnd(9)}  ${plain.toFixed(0).padStart(11)}  ${ours.toFixed(0).padStart(15)}  ${(ours / plain).toFixed(2)}`);
    }
    if (inspected) {
      console.log('\ndirection  wirestate MiB/s  with --inspect MiB/s  ratio');
      for (const direction of ['download', 'upload']) {
        const ours = median(rates[`wirestate ${direction}`]);
        const withInspect = median(rates[`inspected ${direction}`]);
        console.log(`${direction.padEnd(9)}  ${ours.toFixed(0).padStart(15)}  ${withInspect.toFixed(0).padStart(20)}  ${(withInspect / ours).toFixed(2)}`);
      }
    }
    console.log(`wirestate server peak RSS: ${peakRss.toFixed(1)} MiB`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function plainDownload(source: string, out: string, size: number, timeout: number): Promise<number> {
  const port = await freePort();
  const server = spawn(process.execPath, [PLAIN, 'serve', String(port), source], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await waitForLine(server, 'listening', timeout);
    const rate = await timed(size, () => run(process.execPath, [PLAIN, 'fetch', String(port), out], timeout));
    await verifySize(out, size);
    return rate;
  } finally {
    server.kill();
  }
}

async function plainUpload(source: string, out: string, size: number, timeout: number): Promise<number> {
  const port = await freePort();
  const server = spawn(process.execPath, [PLAIN, 'accept', String(port), out], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await waitForLine(server, 'listening', timeout);
    const rate = await timed(size, async () => {
      const done = waitForLine(server, 'done', timeout);
      await run(process.execPath, [PLAIN, 'push', String(port), source], timeout);
      await done;
    });
    await verifySize(out, size);
    return rate;
  } finally {
    server.kill();
  }
}

/** MiB/s of `work` moving `size` bytes, measured from process spawn to the file being complete. */
async function timed(size: number, work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return size / MiB / ((performance.now() - started) / 1000);
}

function run(command: string, argv: string[], timeoutSeconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'inherit'], timeout: timeoutSeconds * 1000 });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${argv.slice(0, 3).join(' ')} exited ${code ?? signal}`))));
  });
}

function waitForLine(child: ChildProcess, text: string, timeoutSeconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutSeconds} s`)), timeoutSeconds * 1000);
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (!seen.includes(text)) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code} before "${text}"`)));
  });
}

async function makeFile(path: string, size: number): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(path, '..'), { recursive: true });
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < size; written += block.length) await handle.write(block, 0, Math.min(block.length, size - written));
  } finally {
    await handle.close();
  }
}

async function verifySize(path: string, size: number): Promise<void> {
  const actual = (await stat(path)).size;
  if (actual !== size) throw new Error(`${path} has ${actual} bytes, expected ${size}`);
}

async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

/**
 * `node dist/scripts/queue-bench.js [--mib 60]`: one large queue message
 * through real processes on loopback: sent by `wirestate queue client`,
 * then received into a file. Prints each client's time and peak memory and
 * the server's peak memory. Bounded: each client run is killed after 300 s.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CLI, startServer } from './bench-kit';

async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Runs one client to its end: its exit code, seconds and peak RSS (sampled every 20 ms). */
async function client(args: string[]): Promise<{ code: number | null; seconds: number; peakMiB: number }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, 'queue', 'client', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
  });
  let peakMiB = 0;
  const sample = setInterval(
    () =>
      void peakRssMiB(child.pid!).then(
        (mib) => (peakMiB = Math.max(peakMiB, mib)),
        () => undefined,
      ),
    20,
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(sample);
  return { code, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMiB };
}

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv)).option('mib', { type: 'number', default: 60 }).parse();
  const folder = await mkdtemp(join(tmpdir(), 'queue-bench-'));
  const bytes = args.mib * 1024 * 1024;
  await writeFile(join(folder, 'in.txt'), Buffer.alloc(bytes, 'a'));
  const server = await startServer(
    'wirestate queue server',
    process.execPath,
    [CLI, 'queue', 'server', '0', 'TCP', '--host', '127.0.0.1', '--max-size', String(bytes + 1024)],
    /queue server listening on [\d.]+:(\d+)/,
    30,
  );
  const { port } = server;
  try {
    const sent = await client([
      '127.0.0.1',
      String(port),
      'TCP',
      'send',
      join(folder, 'in.txt'),
      '--idle-timeout',
      '300',
    ]);
    const received = await client([
      '127.0.0.1',
      String(port),
      'TCP',
      'receive',
      join(folder, 'out.txt'),
      '--idle-timeout',
      '300',
      '--max-size',
      String(bytes + 1024),
    ]);
    const serverPeak = await peakRssMiB(server.child.pid!);
    for (const [name, run] of [
      ['send', sent],
      ['receive', received],
    ] as const) {
      console.log(
        `${name} ${args.mib} MiB: exit ${String(run.code)}, ${run.seconds.toFixed(2)} s, client peak ${run.peakMiB.toFixed(0)} MiB`,
      );
    }
    console.log(`server peak ${serverPeak.toFixed(0)} MiB`);
  } finally {
    server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

void main();

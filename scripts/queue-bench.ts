/**
 * `node dist/scripts/queue-bench.js [--mib 60]`: one large queue message
 * through real processes on loopback: sent by `wirestate queue client`,
 * then received into a file, which must hold what was sent. Prints each
 * client's exit code, time (its start-up included) and peak memory, and the
 * server's peak memory; exits 1 when a client failed or the message came back
 * otherwise. The file lives in the system's temporary folder, removed at the
 * end, on failure and on SIGINT or SIGTERM (the server and a client in flight
 * are killed then too). Bounded: each client run is killed after 300 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CLI, startServer } from './bench-kit';
import { sha256 } from '../src/test-support/processes';

const MIB = 1024 * 1024;

/** What to stop and remove however the run ends. */
const running = new Set<ChildProcess>();
let folder: string | undefined;
function cleanUp(): void {
  for (const child of running) child.kill('SIGKILL');
  if (folder) rmSync(folder, { recursive: true, force: true });
}
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.once(signal, () => {
    cleanUp();
    process.exit(code);
  });

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
  running.add(child);
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
  running.delete(child);
  return { code, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMiB };
}

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .option('mib', { type: 'number', default: 60, describe: 'The message size in MiB (fractions allowed)' })
    .check(({ mib }) => {
      if (!(mib > 0) || Math.round(mib * MIB) < 1) throw new Error(`--mib must be a size above 0, not ${mib}`);
      return true;
    })
    .strict()
    .parse();
  const bytes = Math.round(args.mib * MIB);
  folder = await mkdtemp(join(tmpdir(), 'queue-bench-'));
  const source = join(folder, 'in.txt');
  const landed = join(folder, 'out.txt');
  // The client sends the file's text and a newline: the server must take that much as one message and hold it.
  const room = String(bytes + 1024);
  try {
    const text = Buffer.alloc(bytes, 'a');
    await writeFile(source, text);
    // What the receiver must get back: the client sends the file's text and a newline.
    const expected = createHash('sha256').update(text).update('\n').digest('hex');
    const server = await startServer(
      'wirestate queue server',
      process.execPath,
      [CLI, 'queue', 'server', '0', 'TCP', '--host', '127.0.0.1', '--max-size', room, '--max-queue-bytes', room],
      /queue server listening on [\d.]+:(\d+)/,
      30,
    );
    running.add(server.child);
    const port = String(server.port);
    const sent = await client(['127.0.0.1', port, 'TCP', 'send', source, '--idle-timeout', '300']);
    const received = await client([
      '127.0.0.1',
      port,
      'TCP',
      'receive',
      landed,
      '--idle-timeout',
      '300',
      '--max-size',
      room,
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
    const whole = received.code === 0 && (await sha256(landed)) === expected;
    if (sent.code !== 0 || !whole) {
      console.log('FAILED: the message did not go through whole (see the exit codes above)');
      process.exitCode = 1;
    }
  } finally {
    cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(`queue-bench: ${error instanceof Error ? error.message : String(error)}`);
  cleanUp();
  process.exitCode = 1;
});

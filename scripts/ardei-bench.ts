/**
 * `npm run ardei-bench`: ardei's generated files through real processes on
 * loopback: one file over TCP and one over UDP, each fetched --rounds times
 * by `wirestate ardei client`. Prints the rates, the UDP loss, and the
 * server's and each client's peak memory (the files are generated as they
 * are sent and counted as they arrive, so memory stays flat whatever the
 * size). Bounded: each client run is killed after 120 s.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ardeiServerOnFreePorts } from '../src/test-support/processes';

const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');

async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Runs the client under /usr/bin/time-like accounting: its output and its peak RSS. */
function client(args: string[]): Promise<{ stdout: string; peakMiB: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'ardei', 'client', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 120_000,
    });
    let stdout = '';
    let peakMiB = 0;
    const sample = setInterval(
      () =>
        void peakRssMiB(child.pid!).then(
          (mib) => (peakMiB = Math.max(peakMiB, mib)),
          () => undefined,
        ),
      20,
    );
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      clearInterval(sample);
      resolve({ stdout: stdout.trim(), peakMiB });
    });
  });
}

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .scriptName('npm run ardei-bench --')
    .option('tcp-size', { type: 'number', default: 100_000_000, describe: 'Bytes of the TCP file' })
    .option('udp-size', { type: 'number', default: 10_000_000, describe: 'Bytes of the UDP file' })
    .option('rounds', { type: 'number', default: 3, describe: 'Fetches of each' })
    .strict()
    .parse();
  const server = spawn(
    process.execPath,
    [CLI, ...ardeiServerOnFreePorts(), '--udp-max-reply', '0', '--udp-max-rate', '0', '--log-format', 'json'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let log = '';
  server.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  while (!log.includes('ardei-udp server listening')) await once(server.stdout, 'data');
  const tcpPort = /ardei server listening on [\d.]+:(\d+)/.exec(log)![1];
  const udpPort = /ardei-udp server listening on [\d.]+:(\d+)/.exec(log)![1];
  const before = await peakRssMiB(server.pid!);
  try {
    for (let round = 1; round <= args.rounds; round++) {
      const viaTcp = await client(['--port', tcpPort, String(args['tcp-size'])]);
      const viaUdp = await client(['--udp', '--port', udpPort, String(args['udp-size'])]);
      process.stdout.write(
        `round ${round}\n  TCP ${viaTcp.stdout}; client peak RSS ${viaTcp.peakMiB.toFixed(0)} MiB\n  UDP ${viaUdp.stdout}; client peak RSS ${viaUdp.peakMiB.toFixed(0)} MiB\n`,
      );
    }
    process.stdout.write(
      `server peak RSS: ${before.toFixed(0)} MiB before, ${(await peakRssMiB(server.pid!)).toFixed(0)} MiB after\n`,
    );
  } finally {
    server.kill('SIGTERM');
  }
}

void main();

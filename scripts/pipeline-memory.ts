/**
 * What a peer that pipelines requests and never reads costs a server: starts
 * `wirestate ardei server --advanced` on a folder of 100 long names (listings
 * of about 20 KB), sends the key and COUNT `ls` at once from 127.0.0.2 without
 * reading, and prints the server's memory and the commands it answered every
 * half second for five seconds.
 *
 *   node dist/scripts/pipeline-memory.js [COUNT]     (default 5000)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CLIENT_KEY, commandBytes } from '../machines/ardei/advanced-codec';
import { ardeiServerOnFreePorts } from '../src/test-support/processes';

const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');

const SAMPLES = 10;

async function main(count: number): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'wirestate-pipeline-'));
  await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      writeFile(join(root, `${String(i).padStart(3, '0')}-${'n'.repeat(190)}`), ''),
    ),
  );
  const args = [...ardeiServerOnFreePorts(root), '--request-timeout', '60'];
  const server = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let log = '';
  server.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const listening = /ardei-advanced server listening on [\d.]+:(\d+)/;
  while (!listening.test(log)) await once(server.stdout, 'data');
  const rss = async () =>
    Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${String(server.pid)}/status`, 'utf8'))![1]) / 1024;
  const answered = () => (log.match(/\] \/: ls$/gm) ?? []).length;

  const before = await rss();
  const peer = connect({ host: '127.0.0.1', port: Number(listening.exec(log)![1]), localAddress: '127.0.0.2' });
  peer.pause();
  await once(peer, 'connect');
  peer.write(Buffer.concat([CLIENT_KEY, ...Array.from({ length: count }, () => commandBytes('ls'))]));
  console.log(`${count} pipelined ls, never read; server at ${before.toFixed(0)} MB before`);
  for (let sample = 1; sample <= SAMPLES; sample++) {
    await delay(500);
    console.log(`${(sample / 2).toFixed(1)} s: ${(await rss()).toFixed(0)} MB, ${answered()} answered`);
  }
  peer.destroy();
  server.kill('SIGTERM');
  await once(server, 'exit');
  await rm(root, { recursive: true, force: true });
}

void main(Number(process.argv[2] ?? 5000));

/** serve-all's `--only`/`--except` take commas as well as repeats, as people type them. Before: `--only transfer,share` was refused. */
import { spawn } from 'node:child_process';
import { CLI } from '../test-support/processes';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

it('--only transfer,share: those two servers listen, and no other', async () => {
  const base = await mkdtemp(join(tmpdir(), 'wirestate-commas-'));
  const args = [
    'serve-all',
    '--host',
    '127.0.0.1',
    '--root',
    base,
    '--only',
    'transfer,share',
    '--transfer-port',
    '0',
    '--share-port',
    '0',
  ];
  const server = spawn(process.execPath, [CLI, ...args]);
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  for (let reads = 0; reads < 50 && !output.includes('share server listening'); reads++) {
    await Promise.race([new Promise((resolve) => server.stdout.once('data', resolve)), exited]);
  }
  server.kill('SIGTERM');
  await exited;
  await rm(base, { recursive: true, force: true });
  expect([...output.matchAll(/(\w+) server listening on/g)].map((match) => match[1])).toEqual(['transfer', 'share']);
});

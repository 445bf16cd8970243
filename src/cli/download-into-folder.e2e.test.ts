/** `wirestate client -l FOLDER` for a download: refused before connecting, since a folder cannot take the file. */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startServerProcess, wirestate } from '../test-support/processes';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-into-folder-'));
  await mkdir(join(base, 'served'));
  await writeFile(join(base, 'served', 'speech.txt'), 'Four score\n');
  await mkdir(join(base, 'got'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

it('a download into an existing folder exits 7 in one line, and the server sees no connection', async () => {
  const server = await startServerProcess(['--root', join(base, 'served')]);
  try {
    const folder = join(base, 'got');
    const result = await wirestate(['client', '-s', `127.0.0.1:${server.port}`, '-v', 'speech.txt', '-l', folder]);
    expect(result.code).toBe(EXIT.localFile);
    expect(result.stderr).toBe(
      `wirestate client: ${folder} is a folder: name a file to download into, as ${join(folder, 'speech.txt')}\n`,
    );
    expect(await readdir(folder)).toEqual([]);
    // Stopped first: by its exit the server has written every line it logged, and none is about a connection.
    server.child.kill('SIGTERM');
    await server.exited;
    expect(server.output()).not.toMatch(/\[c\d+\]/);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

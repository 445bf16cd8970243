/** `wirestate client` with several files and `--log-format json`: a JSON end line per file and a JSON summary. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCliServer, wirestate, type ServerProcess } from '../test-support/processes';

let root: string;
let server: ServerProcess;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-many-log-'));
  await writeFile(join(root, 'one.txt'), 'one\n');
  await writeFile(join(root, 'two.txt'), 'two two\n');
  server = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

it.each([[[]], [['-d']]])(
  'three files, one missing on the server, %j: every stderr line is JSON; one end line per file, then the summary',
  async (debug) => {
    const here = await mkdtemp(join(tmpdir(), 'wirestate-many-log-got-'));
    const pairs = [
      ['one.txt', join(here, 'a.txt')],
      ['missing.txt', join(here, 'b.txt')],
      ['two.txt', join(here, 'c.txt')],
    ];
    const result = await wirestate([
      'client',
      '-s',
      `127.0.0.1:${server.port}`,
      ...pairs.flatMap(([remote, local]) => ['-v', remote, '-l', local]),
      '--log-format',
      'json',
      ...debug,
    ]);
    expect(result.code).toBe(3);
    const lines = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ends = lines.filter((line) => line.event === 'end');
    expect(ends).toHaveLength(3);
    const endOf = (name: string) => ends.filter((line) => line.name === name);
    expect(endOf('one.txt')).toEqual([
      expect.objectContaining({
        level: 'info',
        operation: 'download',
        path: pairs[0][1],
        outcome: 'downloaded',
        code: 'ok',
        bytes: 4,
        exit_code: 0,
        duration_ms: expect.any(Number),
        connection: expect.stringMatching(/^client-[123]$/),
      }),
    ]);
    expect(endOf('missing.txt')).toEqual([
      expect.objectContaining({
        level: 'error',
        path: pairs[1][1],
        outcome: 'refused',
        code: expect.any(String),
        exit_code: 3,
        connection: 'client-2',
      }),
    ]);
    expect(endOf('two.txt')).toEqual([
      expect.objectContaining({ outcome: 'downloaded', bytes: 8, connection: 'client-3' }),
    ]);
    expect(lines.at(-1)).toMatchObject({
      event: 'summary',
      operation: 'download',
      files: 3,
      done: 2,
      failed: 1,
      exit_code: 3,
      duration_ms: expect.any(Number),
    });
  },
);

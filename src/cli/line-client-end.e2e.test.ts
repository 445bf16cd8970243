/** The line clients (upper, sum, queue) with `-d --log-format json`: one end line per session, every line JSON. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCliServer, wirestate, type ServerProcess } from '../test-support/processes';

const servers: ServerProcess[] = [];
const start = async (args: string[]) => {
  const server = await startCliServer([...args, '--host', '127.0.0.1']);
  servers.push(server);
  return server;
};
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
});

const endLines = (stderr: string) =>
  stderr
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.event === 'end');

it('upper, sum (answered and refused) and queue clients with -d: exactly one end line, with the run fields, its prose in words', async () => {
  const upper = await start(['upper', 'server', '0']);
  const sum = await start(['sum', 'server', '0', '--number', '15']);
  const queue = await start(['queue', 'server', '0', 'TCP']);
  const message = join(await mkdtemp(join(tmpdir(), 'wirestate-line-end-')), 'message.txt');
  await writeFile(message, 'hello\n');
  const debugJson = ['-d', '--log-format', 'json'];
  const runs = [
    {
      args: ['upper', 'client', '--port', String(upper.port), 'hi'],
      code: 0,
      end: { operation: 'upper', outcome: 'replied' },
    },
    { args: ['sum', 'client', '--port', String(sum.port), 'Al', '4'], code: 0, end: { operation: 'sum' } },
    {
      args: ['sum', 'client', '--port', String(sum.port), 'Eve', '0'],
      code: 3,
      end: { operation: 'sum', outcome: 'refused' },
    },
    {
      args: ['queue', 'client', '127.0.0.1', String(queue.port), 'TCP', 'send', message],
      code: 0,
      end: { operation: 'send', outcome: 'sent' },
    },
    {
      args: ['queue', 'client', '127.0.0.1', String(queue.port), 'TCP', 'receive'],
      code: 0,
      end: { operation: 'receive', outcome: 'received', message: expect.stringMatching(/^received: \d+ B in /) },
    },
    {
      args: ['queue', 'client', '127.0.0.1', String(queue.port), 'TCP', 'receive'],
      code: 3,
      // In words, as the server's end line says it: before, `queue_empty 0 B in ...`.
      end: {
        operation: 'receive',
        outcome: 'queue_empty',
        message: expect.stringMatching(/^empty queue in \d+\.\d\d s$/),
      },
    },
  ];
  for (const { args, code, end } of runs) {
    const result = await wirestate([...args, ...debugJson]);
    expect(result.code).toBe(code);
    // Before: two, the session's (without exit_code) and then the report's.
    expect(endLines(result.stderr)).toEqual([
      expect.objectContaining({ ...end, exit_code: code, duration_ms: expect.any(Number) }),
    ]);
  }
});

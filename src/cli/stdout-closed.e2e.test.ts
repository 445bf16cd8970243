/** A download to stdout whose reader goes away (`| head`): the client says its own stdout closed, not the server. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, run, startServerProcess, type ServerProcess } from '../test-support/processes';

let root: string;
let server: ServerProcess;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wirestate-stdout-closed-'));
  await writeFile(join(root, 'big.bin'), Buffer.alloc(8 * 1024 * 1024, 'b'));
  server = await startServerProcess(['--root', root]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

it('client -l - | head -c 10: one line blaming the closed stdout, exit code 7 (local)', async () => {
  const client = `"${process.execPath}" "${CLI}" client -s 127.0.0.1:${server.port} -v big.bin -l -`;
  // The shell reports the client's exit code (not head's) and its stderr, head's 10 bytes discarded.
  const result = await run('bash', ['-c', `${client} | head -c 10 > /dev/null; exit \${PIPESTATUS[0]}`]);
  expect(result.stderr).toBe(
    'download big.bin -> stdout via 127.0.0.1:' +
      `${server.port}\nwirestate client: standard output was closed before the download finished (EPIPE)\n`,
  );
  expect(result.code).toBe(EXIT.localFile);
});

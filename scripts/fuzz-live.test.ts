/** A short live fuzz run in the suite: the server survives, bounded, and keeps serving normal clients. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT } from '../src/engine/exit-codes';
import { NOTHING_LEFT, leftovers } from '../src/test-support/leftovers';
import { wirestate } from '../src/test-support/processes';
import { startTestServer } from '../src/test-support/servers';
import { fuzzLive } from './fuzz-live';

it('random bytes in random pieces never crash the server, get at most a protocol reply, and leave nothing behind', async () => {
  const t = await startTestServer();
  await writeFile(join(t.files.root, 'known.bin'), Buffer.alloc(5000, 9));
  await fuzzLive(t.port, 80, 5000, 42);
  expect(await leftovers(t)).toEqual(NOTHING_LEFT);
  const normal = await wirestate([
    'client',
    '-q',
    '-s',
    `127.0.0.1:${t.port}`,
    '-v',
    'known.bin',
    '-l',
    join(t.base, 'after.bin'),
  ]);
  expect(normal.code).toBe(EXIT.ok);
  await t.stop();
});

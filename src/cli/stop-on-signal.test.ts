/**
 * A signal stops a client's sessions and says what became of a kept part the disk would not take whole: as a
 * plain line, or, once the run says its lines as JSON (--log-format json), as one of them. A real child process,
 * a real SIGINT, a part on /dev/full (every write fails with ENOSPC, as a full disk's does).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const BUILT = join(__dirname, '..', '..', 'dist', 'src');

/** Holds one idle session and a part on /dev/full with 10 bytes waiting, then sends itself SIGINT. */
const child = (sayAsJson: boolean) => `
  const { createWriteStream, openSync } = require('node:fs');
  const { createActor, createMachine } = require('xstate');
  const { sayCutPartsWith, stopOnSignal } = require(${JSON.stringify(join(BUILT, 'cli', 'stop-on-signal.js'))});
  const { writtenAtExit } = require(${JSON.stringify(join(BUILT, 'storage', 'written-at-exit.js'))});
  const fd = openSync('/dev/full', 'w');
  writtenAtExit({ path: '/dev/full', fd, start: 100 }, { at: 20, chunks: [Buffer.alloc(10)] }, createWriteStream('/dev/full', { fd }));
  if (${String(sayAsJson)})
    sayCutPartsWith((message, fields) => process.stderr.write(JSON.stringify({ level: 'warn', message, ...fields }) + '\\n'));
  const actor = createActor(createMachine({})).start();
  stopOnSignal(actor, () => undefined);
  process.kill(process.pid, 'SIGINT');
  setTimeout(() => undefined, 5000);
`;

function run(sayAsJson: boolean): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const process_ = execFile(
      process.execPath,
      ['-e', child(sayAsJson)],
      { cwd: join(__dirname, '..', '..') },
      (_e, _o, stderr) => resolve({ code: process_.exitCode, stderr }),
    );
  });
}

it('says a cut kept part as a plain line', async () => {
  expect(await run(false)).toEqual({
    code: 130,
    stderr:
      'wirestate client: the kept part /dev/full holds only its first 120 bytes: no space left on the device (ENOSPC)\n',
  });
});

it("says it as one of the run's JSON lines, with its fields, once the run says its lines so", async () => {
  const { code, stderr } = await run(true);
  expect(code).toBe(130);
  expect(JSON.parse(stderr)).toEqual({
    level: 'warn',
    message: 'the kept part /dev/full holds only its first 120 bytes: no space left on the device (ENOSPC)',
    event: 'kept_part_cut',
    path: '/dev/full',
    bytes: 120,
    code: 'ENOSPC',
  });
});

/** A session held and let go, then `SIGINT` (another listener first when `other`): what the process ends with. */
function afterTheSession(
  other: boolean,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const script = `
    const { createActor, createMachine } = require('xstate');
    const { stopOnSignal } = require(${JSON.stringify(join(BUILT, 'cli', 'stop-on-signal.js'))});
    const release = stopOnSignal(createActor(createMachine({})).start(), () => undefined);
    release();
    if (${String(other)}) process.on('SIGINT', () => { console.log('the other listener'); process.exit(0); });
    process.kill(process.pid, 'SIGINT');
    setTimeout(() => console.log('not stopped'), 2000);
  `;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..') }, (_e, stdout) =>
      resolve({ code: child.exitCode, signal: child.signalCode, stdout }),
    );
  });
}

it('a signal once the sessions have ended ends the process with its exit code: not by the signal, not ignored', async () => {
  // Before, the handlers went with the last session: Node's default then killed the process by the signal.
  expect(await afterTheSession(false)).toEqual({ code: 130, signal: null, stdout: '' });
});

it('a signal once the sessions have ended is left to another listener that waits for it (a kept inspector page)', async () => {
  expect(await afterTheSession(true)).toEqual({ code: 0, signal: null, stdout: 'the other listener\n' });
});

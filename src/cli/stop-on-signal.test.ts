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

/**
 * A session held and let go, then `SIGINT`; then the run ends by itself after 200 ms (`ends`), or never, or another
 * listener takes the signal (`other`): how the process ends.
 */
function afterTheSession(then: 'ends' | 'hangs' | 'other'): Promise<{ code: number | null; signal: string | null }> {
  const script = `
    const { createActor, createMachine } = require('xstate');
    const { stopOnSignal } = require(${JSON.stringify(join(BUILT, 'cli', 'stop-on-signal.js'))});
    const release = stopOnSignal(createActor(createMachine({})).start(), () => undefined);
    release();
    if ('${then}' === 'other') process.on('SIGINT', () => process.exit(3));
    process.kill(process.pid, 'SIGINT');
    if ('${then}' === 'ends') setTimeout(() => process.exit(0), 200);
    else setInterval(() => undefined, 1000);
  `;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['-e', script],
      { cwd: join(__dirname, '..', '..'), timeout: 10_000 },
      () => resolve({ code: child.exitCode, signal: child.signalCode }),
    );
  });
}

it('a signal once the sessions have ended leaves the run its own exit code: not killed, not 130', async () => {
  // Before, the handlers went with the last session: Node's default then killed the process by the signal.
  expect(await afterTheSession('ends')).toEqual({ code: 0, signal: null });
});

it('a signal once the sessions have ended stops a run that does not end within a second, exit 130', async () => {
  expect(await afterTheSession('hangs')).toEqual({ code: 130, signal: null });
});

it('a signal once the sessions have ended is left to another listener that waits for it (a kept inspector page)', async () => {
  expect(await afterTheSession('other')).toEqual({ code: 3, signal: null });
});

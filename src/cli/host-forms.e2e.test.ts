/**
 * IPv6 hosts as people type them. Before: `--host [::1]` printed `[[::1]]`, `-s ::1:PORT` got no hint, the
 * upload warning for `--host ::` read "reach :::", `--host ::ffff:127.0.0.1` (loopback) was warned about,
 * `-s ::1` was hinted `[:]:1`, `-s 127.0.0.1:abc` said only "expected host:port", and `-s '[]:5'` and
 * `--host '[::1'` went to the lookup.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { CLI, freePort, wirestate } from '../test-support/processes';
import { expectOneLine, refusedInWords } from '../test-support/one-line';

let base: string;
beforeAll(async () => (base = await mkdtemp(join(tmpdir(), 'wirestate-host-forms-'))));
afterAll(() => rm(base, { recursive: true, force: true }));

it('upper client --host [::1] with nothing listening: "cannot connect to [::1]:PORT", exit 6', async () => {
  const port = await freePort();
  const result = await wirestate(['upper', 'client', '--host', '[::1]', '--port', String(port), 'hi']);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(result.stderr).toMatch(new RegExp(`^wirestate upper client: cannot connect to \\[::1\\]:${port}: `, 'm'));
});

it('client -s ::1:50001: one line that shows the bracketed form, exit 2', async () => {
  expectOneLine(
    await wirestate(['client', '-s', '::1:50001', '-v', 'a']),
    EXIT.usage,
    /^wirestate: expected host:port, got "::1:50001": an IPv6 address goes in brackets, \[::1\]:50001; see --help$/m,
  );
});

/** The log of `wirestate server` with `args` (in a network namespace of its own: nothing beyond it hears) until it serves, then stopped. */
async function startLog(args: string[]): Promise<string> {
  const server = spawn('unshare', [
    '-rn',
    process.execPath,
    CLI,
    'server',
    '-l',
    '0',
    '--root',
    join(base, 'files'),
    ...args,
  ]);
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  for (let reads = 0; reads < 50 && !output.includes('serving /'); reads++) {
    await Promise.race([new Promise((resolve) => server.stdout.once('data', resolve)), exited]);
  }
  server.kill('SIGTERM');
  await exited;
  return output;
}

it('server --host :: with no size limit: the warning names [::]', async () => {
  expect(await startLog(['--host', '::'])).toMatch(
    /warn +the transfer server accepts uploads of any size from anyone who can reach \[::\]: --max-size/,
  );
});

it('server --host ::ffff:127.0.0.1 (loopback): no warning', async () => {
  const log = await startLog(['--host', '::ffff:127.0.0.1']);
  expect(log).toMatch(/listening on \[::ffff:127\.0\.0\.1\]:\d+/);
  expect(log).not.toMatch(/uploads of any size/);
});

// One row per distinct word of host-port.ts and bracketed-host.ts (a port out of range is the same branch as "abc":
// bad-values.e2e.test.ts runs the port words; an unbracketed fe80::1 the same hint as ::1).
it.each([
  [
    ['client', '-s', '127.0.0.1:abc', '-v', 'a'],
    'the port in "127\\.0\\.0\\.1:abc" must be a number 1\\.\\.65535, not "abc"',
  ],
  [
    ['client', '-s', '[]:5', '-v', 'a'],
    'expected host:port, got "\\[\\]:5": brackets hold a whole IPv6 address, as in \\[::1\\]:50001',
  ],
  [
    ['client', '-s', '::1', '-v', 'a'],
    'expected host:port, got "::1": an IPv6 address goes in brackets, followed by the port, \\[::1\\]:PORT',
  ],
  [
    ['server', '-l', '0', '--host', '[::1'],
    '--host "\\[::1": brackets hold a whole IPv6 address \\(\\[::1\\]\\), or leave them out',
  ],
  [
    ['queue', 'client', '::1]', '1', 'TCP', 'receive'],
    'HOST "::1\\]": brackets hold a whole IPv6 address \\(\\[::1\\]\\), or leave them out',
  ],
])('%j: "%s", exit 2', refusedInWords);

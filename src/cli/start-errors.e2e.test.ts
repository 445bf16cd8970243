/**
 * One rule for where a server's start errors go: every one (a --root that is a file or cannot be made, a --record
 * or --store that cannot work, a port in use, a --host not on this machine) is a log line on stdout, pretty or
 * JSON, with its exit code, and stderr stays empty. Before: the --root, --record, --store and --inspect ones went
 * to stderr as `wirestate: ...; see --help` in pretty mode (and to stdout in JSON), the listen errors to stdout.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { expectStartError } from '../test-support/start-error';
import { wirestate } from '../test-support/processes';

let base: string;
let taken: Server;
let port: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-start-errors-'));
  await writeFile(join(base, 'passwd'), 'root:x:0:0\n');
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = String((taken.address() as AddressInfo).port);
});
afterAll(async () => {
  taken.close();
  await rm(base, { recursive: true, force: true });
});

const LOOPBACK = ['--host', '127.0.0.1'];
/** Stands for the temporary folder, made once the tests start; PORT for a port taken on loopback. */
const BASE = '<base>';
const PORT = '<port>';

/**
 * Each case in one format, not both: the stream and the exit code are chosen the same way in either format
 * (failure-line.ts writeFailure, or the server's log for a listen error), and one logger writes the line in the
 * format asked. JSON for those whose pretty line cli.test.ts checks (--root a file, --record a file), pretty for
 * those that went to stderr in pretty mode before; each format for a setting and for a listen error.
 */
const CASES: [string, string[], number, RegExp, 'pretty' | 'json'][] = [
  [
    'server, --root a file',
    ['server', '-l', '0', ...LOOPBACK, '--root', `${BASE}/passwd`],
    EXIT.localFile,
    /^cannot serve --root \S+passwd: it is a file, not a folder$/,
    'json',
  ],
  [
    'share server, --root under a file',
    ['share', 'server', '0', ...LOOPBACK, '--root', `${BASE}/passwd/inside`],
    EXIT.localFile,
    /^cannot serve --root \S+passwd\/inside: \S+passwd is a file, not a folder$/,
    'pretty',
  ],
  [
    'serve-all, a --root that cannot be made',
    ['serve-all', '--only', 'transfer', '--transfer-port', '0', ...LOOPBACK, '--root', '/proc/nope'],
    EXIT.localFile,
    /^cannot serve --root \/proc\/nope: \/proc takes no new folders$/,
    'pretty',
  ],
  [
    'proxy, --record a file',
    ['proxy', '-l', '0', ...LOOPBACK, '--record', `${BASE}/passwd`],
    EXIT.localFile,
    /^cannot record into --record \S+passwd: it is a file, not a folder$/,
    'json',
  ],
  [
    'queue server, --store a text file',
    ['queue', 'server', '0', 'TCP', ...LOOPBACK, '--store', `${BASE}/passwd`],
    EXIT.localFile,
    /^cannot keep the queue in --store \S+passwd: it is a file; a --store name with no extension is a folder/,
    'pretty',
  ],
  [
    'server, --inspect on a port in use',
    ['server', '-l', '0', ...LOOPBACK, '--root', `${BASE}/files`, '--inspect', PORT],
    EXIT.cannotListen,
    /^cannot serve the inspector on 127\.0\.0\.1:\d+: the port is in use \(EADDRINUSE\); --inspect PORT picks another/,
    'pretty',
  ],
  [
    'upper server, its port in use',
    ['upper', 'server', PORT, ...LOOPBACK],
    EXIT.cannotListen,
    /^upper: cannot listen on 127\.0\.0\.1:\d+ \(TCP\): the port is in use \(EADDRINUSE\)$/,
    'json',
  ],
  [
    'server, a --host not on this machine',
    ['server', '-l', '0', '--host', 'nohost.invalid', '--root', `${BASE}/files`],
    EXIT.hostNotHere,
    /^transfer: cannot listen on nohost\.invalid:0 \(TCP\): no such host \(ENOTFOUND\)$/,
    'pretty',
  ],
];

it.each(CASES)(
  '%s: one log line on stdout, nothing on stderr, its exit code',
  async (_case, args, code, why, format) => {
    const typed = args.map((arg) => arg.replace(BASE, base).replace(PORT, port));
    expectStartError(await wirestate([...typed, '--log-format', format]), code, why, format);
  },
);

it.each([
  ['an unknown option', ['server', '--bogus'], /^unknown option --bogus$/],
  ['a bad value', ['server', '-l', 'abc'], /^--listen-port must be a number 0\.\.65535, not "abc"$/],
  ['an empty --root', ['server', '--root', ''], /^--root is empty: give a path, or leave --root out$/],
])('%s: a bad command line is said on stderr before any log starts, in either format, exit 2', async (_, args, why) => {
  const pretty = await wirestate(args);
  expect(pretty).toMatchObject({ code: EXIT.usage, stdout: '' });
  expect(pretty.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(pretty.stderr.trimEnd().replace(/^wirestate: (.*); see --help$/, '$1')).toMatch(why);
  const json = await wirestate([...args, '--log-format', 'json']);
  expect(json).toMatchObject({ code: EXIT.usage, stdout: '' });
  expect(JSON.parse(json.stderr)).toMatchObject({ level: 'error', event: 'error', exit_code: EXIT.usage });
  expect((JSON.parse(json.stderr) as { message: string }).message).toMatch(why);
});

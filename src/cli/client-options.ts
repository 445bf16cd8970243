/**
 * `wirestate client`'s flags: the seed client's, plus several files in one run (`-v`/`-l` pairs, `--list-file`,
 * `--parallel`) and the wirestate extensions' (`--plain`, `--no-verify`, `--hello-wait`). Only yargs and the
 * transfer codec: the transfer machines load when a transfer starts.
 */
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import { OP, encodeRequest } from '../../machines/transfer/frames';
import { HELLO_WAIT_MS } from '../../machines/transfer/extension-frames';
import { isStandardStream } from '../storage/standard-stream-name';
import { withClientOptions } from './common-options';
import { parseHostPort } from './host-port';
import { withJsonOption } from './json-result';
import { eachGiven } from './repeatable-option';
import { PROXY_PORT, TRANSFER_PORT } from '../../machines/transfer/ports';

/** Files moved at once by default: a few connections keep the link busy without crowding the server's per-address limit. */
export const DEFAULT_PARALLEL = 8;

export const clientBuilder = (yargs: Argv) =>
  withJsonOption(withClientOptions(yargs, 30))
    .option('mode', {
      alias: 'm',
      choices: ['download', 'upload'] as const,
      default: 'download' as const,
      describe: 'Transfer direction',
    })
    .option('server', {
      alias: 's',
      type: 'string',
      default: `127.0.0.1:${PROXY_PORT}`,
      describe: `Server address as host:port (the default is the proxy's port; the server itself listens on ${TRANSFER_PORT})`,
    })
    .option('server-file-name', {
      alias: 'v',
      type: 'string',
      coerce: eachGiven,
      defaultDescription: 'server.txt',
      describe: 'File name on the server; repeat -v and -l in pairs for several files',
    })
    .option('client-file-name', {
      alias: 'l',
      type: 'string',
      coerce: eachGiven,
      defaultDescription: 'client.txt',
      describe: 'Local file to upload from or download to; - for stdin (upload) or stdout (download), one file only',
    })
    .option('list-file', {
      type: 'string',
      describe:
        'More files, one a line: REMOTE<TAB>LOCAL, REMOTE LOCAL (no spaces in names) or REMOTE alone; - for stdin',
    })
    .option('parallel', {
      type: 'number',
      default: DEFAULT_PARALLEL,
      describe: 'Files moved at once, each over its own connection',
    })
    .option('list', {
      type: 'boolean',
      default: false,
      describe: "List the server's folder: names, sizes and times (a wirestate server; exit 10 if it cannot list)",
    })
    .option('plain', {
      type: 'boolean',
      default: false,
      describe: 'Speak only the seed protocol: no hello, so no stored confirmation or integrity check',
    })
    .option('verify', {
      type: 'boolean',
      default: true,
      describe:
        'Between wirestate peers, check the whole file against its SHA-256 before keeping it (--no-verify: do not)',
    })
    .option('hello-wait', {
      type: 'number',
      default: HELLO_WAIT_MS / 1000,
      describe: 'Seconds to wait for a reply to the hello before going on with the plain protocol',
    })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'No progress or success line; errors only',
    })
    .check((args) => {
      const remotes = args['server-file-name'] ?? [];
      const locals = args['client-file-name'] ?? [];
      if (remotes.length > 1 || locals.length > 1 ? remotes.length !== locals.length : false)
        throw new Error(
          `-v is given ${remotes.length} time${remotes.length === 1 ? '' : 's'} and -l ${locals.length}: give them in pairs, -v REMOTE -l LOCAL for each file`,
        );
      if (args.json && args.mode === 'download' && locals.some(isStandardStream))
        throw new Error('--json and -l - both write to stdout: pick one');
      if (!Number.isInteger(args.parallel) || args.parallel < 1)
        throw new Error('--parallel must be a whole number of files, 1 or more');
      if (!(args['hello-wait'] >= 0)) throw new Error('--hello-wait must be a number of seconds, 0 or more');
      if (args.list) refuseWithList(args);
      parseHostPort(args.server);
      for (const remote of remotes) encodeRequest(OP.download, remote);
      return true;
    })
    .epilog(
      examples(
        ['$0 client -m download -s 127.0.0.1:50000 -l client_speech.txt -v speech.txt', 'download speech.txt'],
        ['$0 client -m upload -s 127.0.0.1:50000 -l client_speech.txt -v server_speech.txt', 'upload under a new name'],
        ['$0 client -s 127.0.0.1:50001 -v a.txt -l got/a.txt -v b.txt -l got/b.txt', 'download two files'],
        ['$0 client -s 127.0.0.1:50001 --list', "list the server's files"],
        ['ls | $0 client -m upload -s 127.0.0.1:50001 --list-file -', 'upload every file here under its name'],
      ),
    )
    .epilog(
      'Exit codes: 0 done, 2 bad arguments, 3 refused by the server (F), 4 server error (E or upload not stored), ' +
        '5 transfer interrupted or timed out, 6 cannot connect, 7 local file problem, 8 the --inspect port in use, 9 SHA-256 mismatch (nothing kept), ' +
        '10 --list: the server cannot list. ' +
        'Several files: the highest code any file got, and a line for each file that failed.',
    );

/** `--list` moves no file: the flags that name one, or skip the hello it needs, make no sense with it. */
function refuseWithList(args: {
  mode: string;
  plain: boolean;
  'server-file-name'?: string[];
  'client-file-name'?: string[];
  'list-file'?: string;
}): void {
  const fileFlags = [
    args['server-file-name'] && '-v',
    args['client-file-name'] && '-l',
    args['list-file'] !== undefined && '--list-file',
    args.mode === 'upload' && '-m upload',
  ].filter(Boolean);
  if (fileFlags.length > 0) throw new Error(`--list moves no file: leave out ${fileFlags.join(', ')}`);
  if (args.plain)
    throw new Error('--list needs the wirestate hello, which --plain leaves out: the plain protocol cannot list');
}

export type ClientArgs = Awaited<ReturnType<typeof clientBuilder>['argv']>;

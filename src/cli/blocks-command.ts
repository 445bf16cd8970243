/**
 * `wirestate blocks server [PORT]` and
 * `wirestate blocks client SERVER:PORT:NAME_ON_SERVER NAME_HERE`: the lab's
 * third exercise (seed 003), with the slides' command lines.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import { outcomeWords } from './outcome-words';
import { errnoWords } from '../log/errno-words';
import { CannotConnect, runClientSession } from './client-session';
import { withClientOptions } from './common-options';
import { valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import { EXIT } from '../engine/exit-codes';
import { serverPort } from './host-port';
import { localFailureWords } from './local-failure-words';
import { hostPort } from '../loop/peer-name';
import { reported, withJsonOption, type ClientReport } from './json-result';
import { exitWith, protocolRoles, withPortArgument } from './protocol-command';
import { serve, withServerOptions } from './serve';
import { textRequestInput, withTextRequestOptions } from './text-protocol-options';
import { errorCode } from '../storage/errors';
import { formatBytes } from '../log/logger';
import { receivedFile, type WrittenFile } from './received-file';
import { openServedFolder } from './served-folder';
import { removeStaleTempFiles } from '../storage/temp-names';
import { BLOCKS_MAX_REQUEST, BLOCKS_PORT } from '../../machines/blocks/codec';
import { blocksClient, blocksServer } from '../../machines/blocks';
import { standardOutput } from '../storage/standard-streams';
import { isStandardStream } from '../storage/standard-stream-name';

const serverBuilder = (yargs: Argv) =>
  withPortArgument(withTextRequestOptions(withServerOptions(yargs), BLOCKS_MAX_REQUEST), BLOCKS_PORT)
    .option('root', {
      type: 'string',
      default: '.',
      describe: 'Folder whose files are served; nothing outside it is served',
    })
    .epilog(examples(['$0 blocks server 12002', 'serve the files of this folder']));

async function runServer(args: Awaited<ReturnType<typeof serverBuilder>['argv']>): Promise<void> {
  const log = loggerFrom(args);
  const files = await openServedFolder(args.root);
  await serve(args, log, [
    { transport: 'tcp', port: args.port, protocol: blocksServer(files, textRequestInput(args)) },
  ]);
  log.info(`serving ${files.root}`, { event: 'serving', root: files.root });
}

/** `server:port:fNameInServer` (IPv6 as `[::1]:port:name`); the name may hold colons. */
export function parseSource(text: string): { host: string; port: number; name: string } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+):(.+)$/.exec(text);
  const port = match ? serverPort(match[3]) : undefined;
  if (!match || port === undefined) throw new Error(`expected server:port:fNameInServer, got "${text}"`);
  return { host: match[1] ?? match[2], port, name: match[4] };
}

const clientBuilder = (yargs: Argv) =>
  withJsonOption(withClientOptions(yargs, 30))
    .positional('source', { type: 'string', demandOption: true, describe: 'server:port:fNameInServer' })
    .positional('target', {
      type: 'string',
      demandOption: true,
      describe: 'fNameInClient: where to write the file (- for stdout)',
    })
    .option('force', { type: 'boolean', default: false, describe: 'Replace the local file if it exists' })
    .check((args) => {
      parseSource(args.source);
      if (args.json && isStandardStream(args.target)) throw new Error('--json and - both write to stdout: pick one');
      return true;
    })
    .epilog(examples(['$0 blocks client 127.0.0.1:12002:speech.txt copy.txt', 'fetch speech.txt into copy.txt']))
    .epilog(
      'Exit codes: 0 stored, 2 bad arguments, 3 refused by the server (ERR), 5 interrupted, short or no answer in time, 6 cannot connect, 7 local file problem (exists without --force, cannot write), 8 the --inspect port in use.',
    );

type ClientArgs = Awaited<ReturnType<typeof clientBuilder>['argv']>;

async function runClient(args: ClientArgs, report: ClientReport): Promise<number> {
  const log = loggerFrom(args, 'error');
  const fail = (code: number, message: string) => report.fail(code, message);
  const { host, port, name } = parseSource(args.source);
  const toStdout = isStandardStream(args.target);
  const target = resolve(args.target);
  let output: WrittenFile | undefined;
  if (!toStdout) {
    const found = await receivedFile(args.target, args.force);
    if ('refused' in found) return fail(EXIT.localFile, found.refused);
    output = found;
    try {
      if (!(await stat(dirname(target))).isDirectory())
        return fail(EXIT.localFile, `${dirname(target)} is not a folder`);
      await removeStaleTempFiles(dirname(target), { recursive: false, forNames: [basename(target)] });
    } catch (error) {
      return fail(EXIT.localFile, `cannot write to ${dirname(target)}: ${errnoWords(errorCode(error))}`);
    }
  }
  const local = output ?? standardOutput(process.stdout);
  const spec = blocksClient(local, { serverName: name, idleTimeoutMs: args['idle-timeout'] * 1000 });
  let outcome;
  try {
    outcome = report.ended(
      await runClientSession(
        { protocol: 'blocks', transport: 'tcp', host, port, spec, starting: () => report.start() },
        args,
        log,
      ),
    );
  } catch (error) {
    if (error instanceof CannotConnect) return fail(EXIT.cannotConnect, error.message);
    throw error;
  }
  switch (outcome.outcome) {
    case 'downloaded':
      report.note(`${name} -> ${toStdout ? 'stdout' : args.target}: ${formatBytes(outcome.bytes)}, size checked`);
      return EXIT.ok;
    case 'refused':
      return fail(EXIT.refused, `the server refused: ${String(outcome.detail)}`);
    case 'local_error':
      return fail(EXIT.localFile, localFailureWords(args.target, outcome));
    default:
      return fail(EXIT.interrupted, outcomeWords(outcome.outcome, outcome.detail));
  }
}

/** Adds `blocks server` and `blocks client`. */
export const blocksCommand = protocolRoles((roles) =>
  roles.command('server [port]', 'Serve the files of a folder', valuesRequired(serverBuilder), runServer).command(
    'client <source> <target>',
    'Fetch server:port:fNameInServer into fNameInClient',
    valuesRequired(clientBuilder),
    exitWith(
      reported(
        'blocks',
        (args: ClientArgs) => {
          const { host, port, name } = parseSource(args.source);
          return { protocol: 'blocks', peer: hostPort(host, port), operation: 'download', name, path: args.target };
        },
        runClient,
      ),
    ),
  ),
);

/**
 * `wirestate share server [PORT]` and `wirestate share client HOST PORT
 * put|get NAME` / `... list`: seed 004's commands, with its positional
 * arguments, on the shared engine and flags.
 */
import { basename, dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import { outcomeWords } from './outcome-words';
import { errnoWords } from '../log/errno-words';
import { CannotConnect, runClientSession } from './client-session';
import { withClientOptions } from './common-options';
import { valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import type { ClientActor } from '../engine/session-actor';
import { EXIT } from '../engine/exit-codes';
import { serverPortArgument } from './server-port-argument';
import { hostPort } from '../loop/peer-name';
import { reported, withJsonOption, type ClientReport } from './json-result';
import { exitWith, protocolRoles, withPortArgument } from './protocol-command';
import { serve, withServerOptions } from './serve';
import { readOnly } from '../storage/read-only-files';
import { warnIfOpenToUploads, withUploadOptions } from './upload-safety';
import { textRequestInput, withTextRequestOptions } from './text-protocol-options';
import { errorCode } from '../storage/errors';
import { localFailureWords } from './local-failure-words';
import { SEPARATOR } from '../../machines/share/codec';
import { printable } from './printable';
import { formatBytes } from '../log/logger';
import type { IncomingFile } from '../storage/file-store';
import { receivedFile } from './received-file';
import { openServedFolder } from './served-folder';
import { readRange } from '../storage/read-range';
import { removeStaleTempFiles } from '../storage/temp-names';
import { SHARE_MAX_REQUEST, SHARE_PORT, isListing, parseListing } from '../../machines/share/codec';
import { DEFAULT_PASS_GAP_MS } from '../../machines/share/server';
import { shareClient, shareServer } from '../../machines/share';
import { joinedBytes, noBytes } from '../engine/received-bytes';
import { standardOutput } from '../storage/standard-streams';
import { isStandardStream } from '../storage/standard-stream-name';
import { uploadSource, type UploadSource } from './upload-source';

const serverBuilder = (yargs: Argv) =>
  withPortArgument(withUploadOptions(withTextRequestOptions(withServerOptions(yargs), SHARE_MAX_REQUEST)), SHARE_PORT)
    .option('root', {
      type: 'string',
      default: '.',
      describe: 'Folder shared: put stores here, get and list read here; nothing outside it',
    })
    .option('pass-gap', {
      type: 'number',
      default: DEFAULT_PASS_GAP_MS,
      describe:
        'get: milliseconds between pass and the file, so that the original client, which reads pass in one read, gets it alone; 0: no wait',
    })
    .check((args) => {
      if (!(args['pass-gap'] >= 0)) throw new Error('--pass-gap must be 0 or more ms');
      return true;
    })
    .epilog(examples(['$0 share server 3650 --root shared', 'share ./shared on port 3650']));

async function runServer(args: Awaited<ReturnType<typeof serverBuilder>['argv']>): Promise<void> {
  const log = loggerFrom(args);
  const folder = await openServedFolder(args.root);
  const files = args['read-only'] ? readOnly(folder) : folder;
  const stale = await removeStaleTempFiles(files.root, { recursive: true });
  if (stale.length > 0)
    log.warn(`removed ${stale.length} temporary file(s) left by a stopped server: ${stale.join(', ')}`, {
      event: 'removed',
      paths: stale,
    });
  await serve(args, log, [
    {
      transport: 'tcp',
      port: args.port,
      protocol: shareServer(files, {
        ...textRequestInput(args),
        passGapMs: args['pass-gap'],
        maxUploadSize: args['max-size'],
      }),
    },
  ]);
  log.info(`sharing ${files.root}`, { event: 'serving', root: files.root });
  // Once listening: a --root or a port that stops the start is the one line said.
  warnIfOpenToUploads(log, args, 'the share server accepts');
}

const clientBuilder = (yargs: Argv) =>
  withJsonOption(withClientOptions(yargs, 30))
    .positional('host', { type: 'string', demandOption: true, describe: 'Server host' })
    .positional('port', { ...serverPortArgument('PORT', 'Server port'), demandOption: true })
    .number('port')
    .positional('command', {
      type: 'string',
      choices: ['put', 'get', 'list'],
      demandOption: true,
      describe: 'put a file, get a file, or list the shared folder',
    })
    .positional('name', {
      type: 'string',
      describe: 'put: the local file (stored on the server under the same name); get: the file on the server',
    })
    .option('input', {
      alias: 'i',
      type: 'string',
      describe: 'put: the local file to send as NAME (default: NAME itself; - for stdin)',
    })
    .option('output', {
      alias: 'o',
      type: 'string',
      describe: 'get: where to write the file (default: the name, without its folders, here; - for stdout)',
    })
    .option('force', { type: 'boolean', default: false, describe: 'get: replace the local file if it exists' })
    .option('max-size', {
      type: 'number',
      defaultDescription: 'no limit',
      describe:
        'get: the most bytes of the file kept; past it nothing is kept and the client stops at once, exit 7 (the protocol sends no size ahead)',
    })
    .check((args) => {
      if (args['max-size'] !== undefined && !(Number.isInteger(args['max-size']) && args['max-size'] >= 0))
        throw new Error('--max-size must be a whole number of bytes');
      if (args.command === 'put' && isStandardStream(args.name))
        throw new Error('put - needs the name to store it under: put NAME -i - sends stdin as NAME');
      if (args.command !== 'list' && !args.name) throw new Error(`${args.command} needs a NAME`);
      // The request is the name's bytes as they are: a line break would end it there, the rest taken for the file.
      // C1 too (U+0080-U+009F): the bytes carry, but no wirestate server takes a control character in a name.
      if (args.command !== 'list' && /[\x00-\x1f\x7f-\x9f]/.test(args.name ?? ''))
        throw new Error(
          `${args.command}: NAME holds a control character ("${printable(args.name ?? '')}"), which a share name cannot hold`,
        );
      if (args.command === 'put' && args.name?.includes(SEPARATOR))
        throw new Error(
          `put: NAME holds "${SEPARATOR}", which a listing separates names with: it would list as two names`,
        );
      if (args.json && args.command === 'get' && isStandardStream(args.output))
        throw new Error('--json and -o - both write to stdout: pick one');
      return true;
    })
    .epilog(
      examples(
        ['$0 share client 127.0.0.1 3650 put apple.jpg', 'store apple.jpg on the server'],
        ['tar c docs | $0 share client 127.0.0.1 3650 put docs.tar -i -', 'store standard input as docs.tar'],
        ['$0 share client 127.0.0.1 3650 get apple.jpg', 'fetch it into ./apple.jpg'],
        ['$0 share client 127.0.0.1 3650 list', 'the shared names, one per line'],
      ),
    )
    .epilog(
      'Exit codes: 0 done, 2 bad arguments, 3 cancelled by the server (put: the name exists or is refused; get: no such file), 4 the server did not store the put, 5 interrupted or no answer in time, 6 cannot connect, 7 local file problem or a get over --max-size, 8 the --inspect port in use.',
    );

type ClientArgs = Awaited<ReturnType<typeof clientBuilder>['argv']>;

/** The local file a put reads or a get writes, as given. */
const localName = (args: ClientArgs) =>
  args.command === 'put' ? (args.input ?? args.name ?? '') : (args.output ?? basename(args.name ?? ''));

async function runClient(args: ClientArgs, report: ClientReport): Promise<number> {
  const command = args.command as 'put' | 'get' | 'list';
  const toStdout = command === 'get' && isStandardStream(args.output);
  let source: UploadSource | undefined;
  try {
    source = command === 'put' ? await uploadSource(localName(args)) : undefined;
  } catch (error) {
    return report.fail(EXIT.localFile, `cannot use ${localName(args)}: ${errnoWords(errorCode(error))}`);
  }
  if (source && 'problem' in source) return report.fail(EXIT.localFile, source.problem);
  try {
    return await exchange(args, report, toStdout, source ?? resolve(localName(args)));
  } finally {
    await source?.spooled?.remove();
  }
}

/** The session itself; a put sends `from` (uploadSource), a get writes to the path `from`. */
async function exchange(
  args: ClientArgs,
  report: ClientReport,
  toStdout: boolean,
  from: string | { path: string; size: number },
): Promise<number> {
  const log = loggerFrom(args, 'error');
  const fail = (code: number, message: string) => report.fail(code, message);
  const command = args.command as 'put' | 'get' | 'list';
  const name = args.name ?? '';
  const local = typeof from === 'string' ? from : from.path;
  const size = typeof from === 'string' ? 0 : from.size;
  let receive = (): IncomingFile => {
    throw new Error(`a ${command} receives no file`);
  };
  try {
    if (command === 'get' && !toStdout) {
      const target = await receivedFile(local, args.force);
      if ('refused' in target) return fail(EXIT.localFile, target.refused);
      receive = () => target.receive();
      await removeStaleTempFiles(dirname(local), { recursive: false, forNames: [basename(local)] });
    }
  } catch (error) {
    return fail(EXIT.localFile, `cannot use ${local}: ${errnoWords(errorCode(error))}`);
  }
  const file = toStdout
    ? standardOutput(process.stdout)
    : {
        read: (bytes: number) => readRange(local, bytes, { whole: true }),
        receive,
      };
  const spec = shareClient(file, {
    command,
    name: command === 'put' ? basename(name) : name,
    size,
    maxListing: 64 * 1024 * 1024,
    maxSize: args['max-size'],
    idleTimeoutMs: args['idle-timeout'] * 1000,
  });
  let listing = noBytes();
  let outcome;
  try {
    outcome = report.ended(
      await runClientSession(
        { protocol: 'share', transport: 'tcp', host: args.host, port: args.port, spec, starting: () => report.start() },
        args,
        log,
        (actor: ClientActor<{ listing: typeof listing }>) =>
          actor.subscribe({ next: (snapshot) => (listing = snapshot.context.listing), error: () => undefined }),
      ),
    );
  } catch (error) {
    if (error instanceof CannotConnect) return fail(EXIT.cannotConnect, error.message);
    throw error;
  }
  switch (outcome.outcome) {
    case 'listed': {
      const text = joinedBytes(listing).toString();
      if (!isListing(text)) {
        const detail = `the reply is no share listing: its ${formatBytes(Buffer.byteLength(text))} do not end with ", " (is that a share server?)`;
        report.ended({ ...outcome, ok: false, outcome: 'protocol_error', code: 'protocol.violation', detail });
        return fail(EXIT.interrupted, detail);
      }
      report.print(
        parseListing(text)
          .map((entry) => `${printable(entry)}\n`)
          .join(''),
      );
      return EXIT.ok;
    }
    case 'stored':
      // The request carries the last part of the name only: the server stores it under that.
      report.note(
        `put ${name}: ${formatBytes(outcome.bytes)} stored on the server${basename(name) === name ? '' : ` as ${basename(name)}`}`,
      );
      return EXIT.ok;
    case 'received':
      report.note(`get ${name}: ${formatBytes(outcome.bytes)} into ${toStdout ? 'stdout' : local}`);
      return EXIT.ok;
    case 'cancelled':
      return fail(
        EXIT.refused,
        command === 'put'
          ? `cancelled: the server has ${name} already, or refuses the name`
          : `cancelled: no ${name} on the server, or it refuses the name`,
      );
    case 'not_stored':
      return fail(EXIT.serverError, `not stored: ${String(outcome.detail)}`);
    case 'local_error':
      // Our own --max-size turned the file down: a local limit, as the queue client's is.
      if (outcome.code === 'file.too_large')
        return fail(EXIT.localFile, `get ${name}: the server sent ${String(outcome.detail)}; nothing kept`);
      return fail(EXIT.localFile, localFailureWords(toStdout ? '-' : local, outcome));
    default:
      return fail(EXIT.interrupted, outcomeWords(outcome.outcome, outcome.detail));
  }
}

/** Adds `share server` and `share client`. */
export const shareCommand = protocolRoles((roles) =>
  roles.command('server [port]', 'Share a folder', valuesRequired(serverBuilder), runServer).command(
    'client <host> <port> <command> [name]',
    'put or get a file, or list the folder',
    valuesRequired(clientBuilder),
    exitWith(
      reported(
        'share',
        (args: ClientArgs) => ({
          protocol: 'share',
          peer: hostPort(args.host, args.port),
          operation: args.command,
          name: args.name,
          path: args.command === 'list' ? undefined : localName(args),
        }),
        runClient,
      ),
    ),
  ),
);

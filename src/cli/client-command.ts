/** `wirestate client`: download or upload one file, with the seed client's flags. */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { AnyActorRef } from 'xstate';
import type { Argv } from 'yargs';
import { outcomeWords } from './outcome-words';
import { errnoWords } from './errno-words';
import { transferClient, transferProtocol } from '../../machines/transfer';
import { OP, encodeRequest } from '../../machines/transfer/frames';
import { CAPABILITY, HELLO_WAIT_MS, IMPLEMENTED } from '../../machines/transfer/extension-frames';
import { errorCode } from '../engine/errors';
import type { SessionOutcome } from '../engine/protocol';
import { formatBytes, formatRate } from '../log/logger';
import type { LocalFile } from '../storage/file-store';
import { localFile } from '../storage/local-file';
import { isStandardStream, spoolInput, standardOutput, type SpooledInput } from '../storage/standard-streams';
import { removeStaleTempFiles } from '../storage/temp-names';
import { loggerFrom, valuesRequired } from './common-options';
import { EXIT, exitCodeFor } from '../engine/exit-codes';
import { parseHostPort } from './host-port';
import { printResult, withJsonOption } from './json-result';
import { Progress } from './progress';
import { exitWith } from './protocol-command';
import { CannotConnect, runClientSession, withClientOptions } from './client-session';

const builder = (yargs: Argv) =>
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
      default: '127.0.0.1:50000',
      describe: 'Server address as host:port',
    })
    .option('server-file-name', {
      alias: 'v',
      type: 'string',
      default: 'server.txt',
      describe: 'File name on the server',
    })
    .option('client-file-name', {
      alias: 'l',
      type: 'string',
      default: 'client.txt',
      describe: 'Local file to upload from or download to; - for stdin (upload) or stdout (download)',
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
      if (args.json && args.mode === 'download' && isStandardStream(args['client-file-name']))
        throw new Error('--json and -l - both write to stdout: pick one');
      if (!(args['hello-wait'] >= 0)) throw new Error('--hello-wait must be a number of seconds, 0 or more');
      parseHostPort(args.server);
      encodeRequest(OP.download, args['server-file-name']);
      return true;
    })
    .example('$0 client -m download -s 127.0.0.1:50000 -l client_speech.txt -v speech.txt', 'download speech.txt')
    .example(
      '$0 client -m upload -s 127.0.0.1:50000 -l client_speech.txt -v server_speech.txt',
      'upload under a new name',
    )
    .epilog(
      'Exit codes: 0 done, 2 bad arguments, 3 refused by the server (F), 4 server error (E or upload not stored), ' +
        '5 transfer interrupted or timed out, 6 cannot connect, 7 local file problem, 9 SHA-256 mismatch (nothing kept).',
    );

type Args = Awaited<ReturnType<typeof builder>['argv']>;

/** Runs one transfer and returns the process exit code. */
export async function runClient(args: Args): Promise<number> {
  const startedMs = performance.now();
  const log = loggerFrom(args, true, 'error');
  const progress = new Progress(process.stderr, args.quiet || args.json);
  const done = (exitCode: number, outcome?: SessionOutcome, detail?: string) => {
    if (args.json)
      printResult({ operation: args.mode, name: args['server-file-name'], outcome, detail, startedMs, exitCode });
    return exitCode;
  };
  const fail = (code: number, message: string, outcome?: SessionOutcome) => {
    progress.clear();
    process.stderr.write(`wirestate client: ${message}\n`);
    return done(code, outcome, message);
  };
  const { host, port } = parseHostPort(args.server);
  const operation = args.mode;
  const localName = args['client-file-name'];
  const serverName = args['server-file-name'];

  let local: LocalFile;
  let size = 0;
  let spooled: SpooledInput | undefined;
  try {
    if (isStandardStream(localName)) {
      if (operation === 'upload') {
        spooled = await spoolInput(process.stdin);
        local = localFile(spooled.path);
        size = spooled.size;
      } else local = standardOutput(process.stdout);
    } else {
      const localPath = resolve(localName);
      local = localFile(localPath);
      if (operation === 'upload') {
        const info = await stat(localPath);
        if (!info.isFile()) return fail(EXIT.localFile, `${localName} is not a regular file`);
        size = info.size;
      } else if (!(await stat(dirname(localPath))).isDirectory()) {
        return fail(EXIT.localFile, `${dirname(localPath)} is not a folder`);
      } else {
        // What an earlier download of this file left when its process was killed.
        for (const path of await removeStaleTempFiles(dirname(localPath), {
          recursive: false,
          forName: basename(localPath),
        })) {
          progress.line(`removed ${path}, left by an interrupted download`);
        }
      }
    }
  } catch (error) {
    return fail(EXIT.localFile, `cannot use ${localName}: ${errnoWords(errorCode(error))}`);
  }

  const helloWaitMs = args['hello-wait'] * 1000;
  const spec = transferClient(local, {
    operation,
    serverName,
    size,
    idleTimeoutMs: args['idle-timeout'] * 1000,
    ...(!args.plain && {
      hello: { capabilities: args.verify ? IMPLEMENTED : IMPLEMENTED & ~CAPABILITY.sha256, waitMs: helloWaitMs },
    }),
  });
  // Said once connected, before the first byte moves; then the progress follows the machine's count.
  const showProgress = (actor: AnyActorRef) => {
    const shown = isStandardStream(localName) ? (operation === 'download' ? 'stdout' : 'stdin') : localName;
    const arrow = operation === 'download' ? `${serverName} -> ${shown}` : `${shown} -> ${serverName}`;
    progress.line(`${operation} ${arrow} via ${host}:${port}`);
    // Without an error callback, xstate rethrows a failed machine's error and the process crashes; the session reports it.
    let fellBack = false;
    actor.subscribe({
      next: (snapshot) => {
        if (snapshot.context.fellBack && !fellBack) {
          fellBack = true;
          progress.line(
            `no reply to hello within ${args['hello-wait']} s: the server speaks only the plain protocol ` +
              '(no stored confirmation, no integrity check; --plain skips the wait)',
          );
        }
        progress.update(snapshot.context.bytes, snapshot.context.size);
      },
      error: () => undefined,
    });
  };
  let outcome: SessionOutcome;
  try {
    outcome = await runClientSession(
      { protocol: transferProtocol.name, transport: 'tcp', host, port, spec },
      args,
      log,
      showProgress,
    );
  } catch (error) {
    if (error instanceof CannotConnect) return fail(EXIT.cannotConnect, error.message);
    throw error;
  } finally {
    await spooled?.remove();
  }
  if (!outcome.ok)
    return fail(
      exitCodeFor(outcome.outcome, transferProtocol.exitCodes),
      outcomeWords(outcome.outcome, outcome.detail),
      outcome,
    );
  const seconds = progress.elapsed();
  progress.line(
    `${outcome.outcome} ${formatBytes(outcome.bytes)} in ${seconds.toFixed(2)} s (${formatRate(outcome.bytes, seconds)})`,
  );
  return done(EXIT.ok, outcome);
}

/** Adds `client` to the CLI. */
export function clientCommand<T>(yargs: Argv<T>) {
  return yargs.command(
    'client',
    'Download or upload a file over the transfer protocol',
    valuesRequired(builder),
    exitWith(runClient),
  );
}

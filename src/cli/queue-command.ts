/**
 * `wirestate queue server PORT TCP|UDP` and
 * `wirestate queue client HOST PORT TCP|UDP send|receive [FILE]`: seed 001's
 * commands, with its positional arguments, on the shared engine and flags.
 */
import { hostPort } from '../loop/peer-name';
import { readFile } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import { outcomeWords } from './outcome-words';
import { errnoWords } from '../log/errno-words';
import { errorCode } from '../storage/errors';
import { CannotConnect, runClientSession } from './client-session';
import { withClientOptions } from './common-options';
import { valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import type { ClientActor } from '../engine/session-actor';
import { EXIT } from '../engine/exit-codes';
import { listenPortArgument, serverPortArgument } from './server-port-argument';
import { standardOutputCause } from './local-failure-words';
import { reported, withJsonOption, type ClientReport } from './json-result';
import { exitWith, protocolRoles } from './protocol-command';
import { openQueueStore, stopWhenBroken } from './queue-store';
import { serve, withServerOptions } from './serve';
import { receivedFile } from './received-file';
import { standardOutput } from '../storage/standard-streams';
import { isStandardStream } from '../storage/standard-stream-name';
import type { IncomingFile } from '../storage/file-store';
import { DEFAULT_MAX_MESSAGE, GET, isGet, messageFromText } from '../../machines/queue/codec';
import { queueClient, queueProtocolName, queueServer, type Transport } from '../../machines/queue';
import { DEFAULT_QUEUE_LIMITS, MessageQueue } from '../../machines/queue/message-queue';
import { OFFER_AFTER_MS, OFFER_TOKEN, OFFER_WAIT_MS } from '../../machines/queue/store-confirmation';
import { withTestEnqueueDelay } from '../../machines/queue/delayed-enqueue';

const transportArgument = {
  describe: 'TCP or UDP (any case)',
  type: 'string',
  coerce: (value: string) => value.toLowerCase() as Transport,
  choices: ['tcp', 'udp'],
  demandOption: true,
} as const;

const serverBuilder = (yargs: Argv) =>
  withServerOptions(yargs)
    .positional('port', { ...listenPortArgument('port', 'PORT', 'Port to listen on'), demandOption: true })
    .number('port')
    .positional('socktype', transportArgument)
    .option('max-size', {
      type: 'number',
      default: DEFAULT_MAX_MESSAGE,
      describe: 'Largest message kept, in bytes (1 MiB); larger ones are refused and logged, never cut',
    })
    .option('store', {
      type: 'string',
      describe:
        'Keep the queue in this lmdb database (FILE and FILE-lock beside it; a name with no extension becomes a folder), each message and delivery synced to disk before the client is answered, so a restart loses no message',
    })
    .option('max-messages', {
      type: 'number',
      default: DEFAULT_QUEUE_LIMITS.maxMessages,
      describe: 'Messages the queue holds at most; a send beyond is refused (TCP: reset) and logged',
    })
    .option('max-queue-bytes', {
      type: 'number',
      default: DEFAULT_QUEUE_LIMITS.maxBytes,
      describe: 'Bytes of messages the queue holds at most (256 MiB); a send beyond is refused (TCP: reset) and logged',
    })
    .option('offer-confirmation', {
      type: 'boolean',
      default: false,
      describe: `TCP: offer a stored confirmation (${OFFER_TOKEN.toString()}) to a connection silent for ${OFFER_AFTER_MS} ms, for \`client ... send --confirm\`. Off by default: an original client the network delays more than ${OFFER_AFTER_MS} ms would read the offer as its reply (send: reset, message lost; receive: the offer taken for the message). Turn it on only where every client is wirestate's or the network is fast`,
    })
    .check((args) => {
      for (const option of ['max-size', 'max-messages', 'max-queue-bytes'] as const) {
        if (!(Number.isInteger(args[option]) && args[option] >= 1))
          throw new Error(`--${option} must be a whole number, at least 1`);
      }
      return true;
    })
    .epilog(
      examples(
        ['$0 queue server 55556 TCP', "the seed's TCP server"],
        ['$0 queue server 55556 UDP --store queue.lmdb', 'a UDP server whose queue survives restarts'],
        [
          '$0 queue server 55556 TCP --offer-confirmation',
          "confirm storing to `send --confirm` clients (only where every client is wirestate's or the network is fast)",
        ],
      ),
    );

async function runServer(args: Awaited<ReturnType<typeof serverBuilder>['argv']>): Promise<void> {
  const log = loggerFrom(args);
  const transport = args.socktype;
  const limits = { maxMessages: args['max-messages'], maxBytes: args['max-queue-bytes'] };
  const keeper = args.store === undefined ? undefined : await openQueueStore(args.store);
  if (keeper) log.info(`store ${keeper.path}: ${keeper.kept.length} message(s) waiting`);
  const store = new MessageQueue(keeper, limits);
  const protocol = queueServer(withTestEnqueueDelay(store), transport, {
    maxMessage: args['max-size'],
    idleTimeoutMs: args['idle-timeout'] * 1000,
    ...(transport === 'tcp' && args['offer-confirmation'] && { offerAfterMs: OFFER_AFTER_MS }),
  });
  const serving = await serve(args, log, [{ transport, port: args.port, protocol }]);
  if (keeper) stopWhenBroken(keeper, serving);
}

const clientBuilder = (yargs: Argv) =>
  withJsonOption(withClientOptions(yargs, 5))
    .positional('host', { type: 'string', demandOption: true, describe: 'Server host' })
    .positional('port', { ...serverPortArgument('PORT', 'Server port'), demandOption: true })
    .number('port')
    .positional('socktype', transportArgument)
    .positional('mode', {
      type: 'string',
      coerce: (value: string) => value.toLowerCase(),
      choices: ['send', 'receive'],
      demandOption: true,
      describe: 'send a file as a message, or receive the oldest message',
    })
    // yargs reads a lone `-` as an empty string: isStandardStream takes both (an empty FILE typed as such is refused).
    .positional('file', {
      type: 'string',
      describe:
        "send: the UTF-8 text file to send, plus a newline, as the seed's client sends it (- for stdin); receive: where to write the message (default: stdout)",
    })
    .option('max-size', {
      type: 'number',
      default: 64 * 1024 * 1024,
      describe:
        'Largest message received, in bytes (TCP and UDP); a larger one is taken from the queue and kept by no one: lost (the protocol says no size before the bytes, which the server hands out at once)',
    })
    .option('confirm', {
      type: 'boolean',
      default: false,
      describe: `TCP send: wait up to ${OFFER_WAIT_MS / 1000} s for the offer of a server run with --offer-confirmation and exit 0 only once it confirms the message stored; no offer: send plainly and say so. Off by default (send at once, as the seed's client): servers do not offer unless told to, since an original client slowed by the network would read the offer`,
    })
    .check((args) => {
      if (args.mode === 'send' && args.file === undefined) throw new Error('send needs a FILE (- for stdin)');
      return true;
    })
    .epilog(
      examples(
        ['$0 queue client 127.0.0.1 55556 TCP send data/message1.txt', 'queue a message'],
        ['$0 queue client 127.0.0.1 55556 TCP receive', 'print the oldest message'],
        [
          '$0 queue client 127.0.0.1 55556 TCP send data/message1.txt --confirm',
          'exit 0 only once a server run with --offer-confirmation confirms the message stored',
        ],
      ),
    )
    .epilog(
      'Exit codes: 0 done, 2 bad arguments, 3 the queue is empty, 4 the server did not keep the message (or, with --confirm, offered to confirm storing it and did not), 5 no answer in time (--idle-timeout) or interrupted, 6 cannot connect, 7 local file problem or a reply over --max-size, 8 the --inspect port in use.',
    );

type ClientArgs = Awaited<ReturnType<typeof clientBuilder>['argv']>;

async function runClient(args: ClientArgs, report: ClientReport): Promise<number> {
  const log = loggerFrom(args, 'error');
  const transport = args.socktype;
  const fail = (code: number, why: string) => report.fail(code, why);
  let message: ReturnType<typeof messageFromText>;
  if (args.mode === 'send') {
    try {
      message = messageFromText(
        args.file === undefined || isStandardStream(args.file) ? await readStdin() : await readFile(args.file),
      );
    } catch (error) {
      return fail(EXIT.localFile, `cannot read ${String(args.file)}: ${errnoWords(errorCode(error))}`);
    }
    if (message === undefined)
      return fail(
        EXIT.localFile,
        `${String(args.file)} is not UTF-8 text; the queue client sends text, as the seed's client does`,
      );
    // The server takes a connection whose first bytes are the GET for a receive: this send would take a message.
    if (isGet(message.bytes))
      return fail(
        EXIT.localFile,
        `${args.file ?? '-'} begins with ${GET.toString()}, which the server takes for a receive: sent, it would take the oldest message instead of adding one; nothing was sent`,
      );
  }
  // Checked before asking: a message handed over leaves the queue, so it must have somewhere to go.
  let target: IncomingFile | undefined;
  if (args.mode === 'receive' && args.file !== undefined && !isStandardStream(args.file)) {
    try {
      // The seed's client writes FILE whatever is there: a regular file is replaced, a device written into.
      const output = await receivedFile(args.file, true);
      if ('refused' in output) return fail(EXIT.localFile, `${output.refused}; nothing was taken from the queue`);
      target = output.receive();
    } catch (error) {
      return fail(
        EXIT.localFile,
        `cannot write ${args.file}: ${errnoWords(errorCode(error))}; nothing was taken from the queue`,
      );
    }
    // Ctrl-C or SIGTERM ends the process mid-session (stop-on-signal.ts): the file's temporary name goes too.
    process.once('exit', () => target?.abort());
  } else if (args.mode === 'receive' && !report.json) target = standardOutput(process.stdout).receive();
  const spec = queueClient(
    transport,
    {
      mode: args.mode as 'send' | 'receive',
      maxMessage: args['max-size'],
      idleTimeoutMs: args['idle-timeout'] * 1000,
      ...(transport === 'tcp' && args.confirm && { offerWaitMs: OFFER_WAIT_MS }),
    },
    message?.bytes,
  );
  let received: Buffer = Buffer.alloc(0);
  const keepMessage = (actor: ClientActor<{ message: Buffer }>) =>
    actor.subscribe({ next: (snapshot) => (received = snapshot.context.message), error: () => undefined });
  let outcome;
  try {
    outcome = report.ended(
      await runClientSession(
        {
          protocol: queueProtocolName(transport),
          transport,
          host: args.host,
          port: args.port,
          spec,
          logsEnd: !report.writesEndLine,
          starting: () => report.start(),
        },
        args,
        log,
        keepMessage,
      ),
    );
  } catch (error) {
    target?.abort();
    if (error instanceof CannotConnect) return fail(EXIT.cannotConnect, error.message);
    throw error;
  }
  if (outcome.outcome !== 'received') target?.abort();
  switch (outcome.outcome) {
    case 'sent':
      report.note(`Sent: ${message?.characters ?? 0} bytes`);
      if (outcome.detail) report.note(outcome.detail);
      if (transport === 'udp')
        report.note('(UDP has no acknowledgement: the datagram left, but the server may not have kept it)');
      return EXIT.ok;
    case 'received':
      try {
        if (target) {
          target.stream.write(received);
          await target.commit();
        } else report.print(received);
      } catch (error) {
        const toStdout = args.file === undefined || isStandardStream(args.file);
        const code = errorCode(error);
        const cause = toStdout ? standardOutputCause(code) : errnoWords(code);
        return fail(
          EXIT.localFile,
          unwritable(received.length, toStdout ? 'standard output' : String(args.file), cause),
        );
      }
      // With --json the message goes out in the result: if that cannot be written, the message is lost as well.
      report.whenUnwritten((cause) => unwritable(received.length, 'standard output', cause));
      report.note(`Received: ${received.length} bytes`);
      return EXIT.ok;
    case 'queue_empty':
      report.note(`Received: ${received.toString()}`);
      return EXIT.refused;
    case 'not_stored':
      return fail(EXIT.serverError, outcomeWords(outcome.outcome, outcome.detail));
    case 'refused': {
      // Our own --max-size cut the reply: a local limit, like a file that cannot be written. The protocol carries no
      // size to ask by first: the server handed the message out as the reply began.
      const max = args['max-size'];
      return fail(
        EXIT.localFile,
        messageLost(`more than ${max} bytes`, `, over --max-size ${max}, and kept none of it`),
      );
    }
    default:
      if (outcome.code === 'peer.unreachable')
        return fail(
          EXIT.cannotConnect,
          `cannot reach ${hostPort(args.host, args.port)}: ${errnoWords('ECONNREFUSED')}`,
        );
      if (outcome.code === 'datagram.too_large')
        return fail(
          EXIT.localFile,
          `${String(args.file)} is ${message?.bytes.length ?? 0} bytes on the wire, more than one UDP datagram holds (65507): send it over TCP`,
        );
      return fail(EXIT.interrupted, outcomeWords(outcome.outcome, outcome.detail));
  }
}

/**
 * The server has handed the message out: it is in no queue any more, and only this line can say so. `size`: what is
 * known of it (`8 bytes`, `more than 4 bytes`); `happened`: why this side has it no more either.
 */
const messageLost = (size: string, happened: string) =>
  `took a message of ${size} from the queue${happened}; the message is lost: it is no longer in the queue`;

const unwritable = (bytes: number, where: string, cause: string) =>
  messageLost(`${bytes} bytes`, ` but cannot write it to ${where}: ${cause}`);

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Adds `queue server` and `queue client`. */
export const queueCommand = protocolRoles((roles) =>
  roles.command('server <port> <socktype>', 'Serve a message queue', valuesRequired(serverBuilder), runServer).command(
    'client <host> <port> <socktype> <mode> [file]',
    'Send a message, or receive the oldest one',
    valuesRequired(clientBuilder),
    exitWith(
      reported(
        'queue',
        (args: ClientArgs) => ({
          protocol: queueProtocolName(args.socktype),
          peer: hostPort(args.host, args.port),
          operation: args.mode,
          path: isStandardStream(args.file) ? '-' : args.file,
        }),
        runClient,
      ),
    ),
  ),
);

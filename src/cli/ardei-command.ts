/**
 * `wirestate ardei server` and `wirestate ardei client`: seed 000's echo,
 * generated "files" and streams over TCP (8120) and UDP (8121). The client
 * prompts like the original on a terminal, reads requests a line at a time
 * from a pipe, or sends the one request its arguments give.
 */
import type { ActorRefFrom } from 'xstate';
import { ardeiAdvancedClientMachine } from '../../machines/ardei/advanced-client';
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import { outcomeWords } from './outcome-words';
import { errnoWords } from '../log/errno-words';
import { CannotConnect, runClientSession } from './client-session';
import { withClientOptions } from './common-options';
import { valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import type { ClientActor } from '../engine/session-actor';
import { EXIT, exitCodeFor } from '../engine/exit-codes';
import { listenPortArgument, serverPortArgument } from './server-port-argument';
import { prompter, type Prompter } from './prompt';
import { reported, withJsonOption, type ClientReport } from './json-result';
import { exitWith, protocolRoles } from './protocol-command';
import { serve, withServerOptions, type Listener } from './serve';
import { textRequestInput, withTextRequestOptions } from './text-protocol-options';
import type { Logger } from '../log/logger';
import { openServedFolder } from './served-folder';
import { downloadFolder } from '../storage/download-folder';
import { typedWords } from './words-after-options';
import { printableLines } from './printable';
import { ADVANCED_MAX_COMMAND, ADVANCED_PORT, DELIMITER } from '../../machines/ardei/advanced-codec';

/** What ends every advanced command on the wire: no command can hold it. */
const DELIMITER_TEXT = DELIMITER.toString();
import { ARDEI_MAX_REQUEST, ARDEI_TCP_PORT, ARDEI_UDP_PORT, streamRequestOf } from '../../machines/ardei/codec';
import {
  ardeiAdvancedClient,
  ardeiAdvancedServer,
  ardeiTcpClient,
  ardeiTcpServer,
  ardeiUdpClient,
  ardeiUdpServer,
} from '../../machines/ardei';
import { reportOf } from '../../machines/ardei/report';
import { PREPARED_GAP_MS } from '../../machines/ardei/tcp-server';
import { ARDEI_UDP_DEFAULTS, ARDEI_UDP_MAX_RATE } from '../../machines/ardei/udp-server';
import { hostPort } from '../loop/peer-name';

const serverBuilder = (yargs: Argv) =>
  withTextRequestOptions(withServerOptions(yargs), ARDEI_MAX_REQUEST)
    .option('tcp-port', { ...listenPortArgument('tcp-port', '--tcp-port', 'TCP port'), default: ARDEI_TCP_PORT })
    .option('udp-port', { ...listenPortArgument('udp-port', '--udp-port', 'UDP port'), default: ARDEI_UDP_PORT })
    .option('prepared-gap', {
      type: 'number',
      default: PREPARED_GAP_MS,
      describe:
        'TCP: milliseconds between file_prepared and the data, so that the original client (one read) gets file_prepared alone',
    })
    .option('udp-burst', {
      type: 'number',
      default: ARDEI_UDP_DEFAULTS.burst,
      describe: 'Datagrams of generated data sent before each pause',
    })
    .option('udp-pause', {
      type: 'number',
      default: ARDEI_UDP_DEFAULTS.paceMs,
      describe: 'Milliseconds between bursts, so that a loopback receiver keeps up',
    })
    .option('udp-max-reply', {
      type: 'number',
      default: ARDEI_UDP_DEFAULTS.maxReply,
      describe:
        'Bytes of file or stream one UDP request may get (0: no limit); larger requests get a one-line error. UDP lets anyone forge the address a reply goes to',
    })
    .option('udp-max-rate', {
      type: 'number',
      default: ARDEI_UDP_MAX_RATE,
      describe:
        'Bytes a second of files and streams to one address over UDP (0: no limit); requests past it get a one-line error',
    })
    .option(
      'advanced',
      listenPortArgument(
        'advanced',
        '--advanced',
        `Also serve the advanced variant (key, ls, chdir, dl, quit) on this TCP port (e.g. ${ADVANCED_PORT})`,
      ),
    )
    .option('root', {
      type: 'string',
      default: '.',
      describe: 'With --advanced: the folder its clients see; nothing outside it',
    })
    .check((args) => {
      if (!(Number.isInteger(args['udp-burst']) && args['udp-burst'] >= 1))
        throw new Error('--udp-burst must be at least 1');
      if (!(args['udp-pause'] >= 0)) throw new Error('--udp-pause must be 0 or more ms');
      if (!(Number.isInteger(args['udp-max-reply']) && args['udp-max-reply'] >= 0))
        throw new Error('--udp-max-reply must be a whole number of bytes, 0 for no limit');
      if (!(args['udp-max-rate'] >= 0)) throw new Error('--udp-max-rate must be 0 (no limit) or more bytes a second');
      if (!(args['prepared-gap'] >= 0)) throw new Error('--prepared-gap must be 0 or more ms');
      return true;
    })
    .epilog(
      examples(
        ['$0 ardei server', 'TCP on 8120 and UDP on 8121, like tcpser.py and udpser.py'],
        [`$0 ardei server --advanced ${ADVANCED_PORT} --root shared`, 'and the advanced variant, serving ./shared'],
      ),
    );

/** The TCP and UDP listeners of an ardei server with these flags. */
export const ardeiListeners = (args: Awaited<ReturnType<typeof serverBuilder>['argv']>): Listener[] => [
  {
    transport: 'tcp',
    port: args['tcp-port'],
    protocol: ardeiTcpServer({ ...textRequestInput(args), preparedGapMs: args['prepared-gap'] }),
  },
  {
    transport: 'udp',
    port: args['udp-port'],
    protocol: ardeiUdpServer(
      { burst: args['udp-burst'], paceMs: args['udp-pause'], maxReply: args['udp-max-reply'] },
      args['udp-max-rate'],
    ),
  },
];

async function runServer(args: Awaited<ReturnType<typeof serverBuilder>['argv']>): Promise<void> {
  const listeners = ardeiListeners(args);
  if (args.advanced !== undefined) {
    const files = await openServedFolder(args.root);
    listeners.push({
      transport: 'tcp',
      port: args.advanced,
      protocol: ardeiAdvancedServer(files, {
        maxRequest: ADVANCED_MAX_COMMAND,
        idleTimeoutMs: args['idle-timeout'] * 1000,
      }),
    });
  }
  await serve(args, loggerFrom(args), listeners);
}

const clientBuilder = (yargs: Argv) =>
  withJsonOption(withClientOptions(yargs, 10))
    .positional('request', {
      type: 'string',
      array: true,
      describe:
        'One request: a number (a file of that many chars), stream-<interval_ms>-<count>-<size>, or text to echo',
    })
    .option('udp', { type: 'boolean', default: false, describe: 'Use UDP (port 8121) instead of TCP (8120)' })
    .option('advanced', {
      type: 'boolean',
      default: false,
      describe: `The advanced variant (port ${ADVANCED_PORT}): ls, chdir PATH, dl PATH, quit at the prompt`,
    })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Server host' })
    .option('port', {
      ...serverPortArgument('--port', 'Server port'),
      defaultDescription: `8120; 8121 with --udp; ${ADVANCED_PORT} with --advanced`,
    })
    .option('silence', {
      type: 'number',
      default: 2,
      describe: 'UDP: seconds of silence after which no more data is expected',
    })
    .check((args) => {
      if (args.advanced && args.udp) throw new Error('the advanced variant is TCP only: --advanced or --udp, not both');
      // Its commands come at the prompt or on standard input: words here would be dropped unasked.
      const words = args.advanced ? requestWords(args as ClientArgs) : '';
      if (words !== '')
        throw new Error(
          `--advanced takes its commands at the prompt or on standard input, not as words: echo '${words}' | wirestate ardei client --advanced`,
        );
      return true;
    })
    .epilog(
      examples(
        [
          '$0 ardei client',
          'the prompt: a number asks for a file, "stream" for a stream, "quit" leaves, anything else is echoed',
        ],
        ['$0 ardei client 1000000', 'one file of a million chars over TCP, with bytes, loss, time and rate'],
        ['$0 ardei client --udp stream-10-50-1000', 'a stream over UDP: 50 segments of 1000 bytes, 10 ms apart'],
      ),
    )
    .epilog(
      'Exit codes: 0 done (UDP loss is reported, not an error), 2 bad arguments, 3 refused by the server (its one-line error, or a close with no reply), 4 over TCP, more bytes than asked for, 5 a TCP reply cut short, interrupted or no answer in time, 6 cannot connect (also a UDP port with no server); with --advanced also 3 a command refused (Invalid File!, Not a recognised directory., Unrecognized Command!), 4 the server broke the protocol, 7 a download could not be written; 8 the --inspect port in use.',
    );

type ClientArgs = Awaited<ReturnType<typeof clientBuilder>['argv']>;

/** Sends one request and prints what came back; returns the exit code. */
async function request(text: string, args: ClientArgs, log: Logger, report: ClientReport): Promise<number> {
  const transport = args.udp ? 'udp' : 'tcp';
  const port = clientPort(args);
  const input = { request: text, keep: 64 * 1024, idleTimeoutMs: args['idle-timeout'] * 1000 };
  const spec = args.udp ? ardeiUdpClient({ ...input, silenceMs: args.silence * 1000 }) : ardeiTcpClient(input);
  let head: Buffer = Buffer.alloc(0);
  const started = performance.now();
  try {
    const outcome = report.ended(
      await runClientSession(
        {
          protocol: args.udp ? 'ardei-udp' : 'ardei',
          transport,
          host: args.host,
          port,
          spec,
          starting: () => report.start(),
        },
        args,
        log,
        (actor: ClientActor<{ head: Buffer }>) =>
          actor.subscribe({ next: (snapshot) => (head = snapshot.context.head), error: () => undefined }),
      ),
    );
    // UDP learns that nothing listens from the ICMP answer to its request, as an error on the socket.
    if (outcome.code === 'peer.unreachable')
      throw new CannotConnect(`cannot reach ${hostPort(args.host, port)}: ${errnoWords('ECONNREFUSED')}`);
    // Data past what was asked for stops the client at once (protocol_error): it is reported as the bytes that came.
    if (!outcome.ok && outcome.outcome !== 'protocol_error')
      return report.fail(EXIT.interrupted, outcomeWords(outcome.outcome, outcome.detail));
    const summary = reportOf({
      request: text,
      bytes: outcome.bytes,
      head,
      transport,
      seconds: (performance.now() - started) / 1000,
    });
    if (summary.text === '') report.fail(EXIT.refused, 'refused: the server closed without a reply');
    // The server's words (an echo, an error line): shown with their control characters escaped, not obeyed.
    else report.print(`${printableLines(summary.text)}\n`);
    if (summary.refused) return EXIT.refused;
    if (summary.extra > 0 && transport === 'tcp')
      return report.fail(EXIT.serverError, `protocol_error: the server sent ${summary.extra} bytes more than asked`);
    return summary.lost > 0 && transport === 'tcp' ? EXIT.interrupted : EXIT.ok;
  } catch (error) {
    if (!(error instanceof CannotConnect)) throw error;
    return report.fail(EXIT.cannotConnect, error.message);
  }
}

/** The original's prompt loop: `stream` asks for its three numbers (a stream request built as the original builds it); an empty line sends nothing; `quit` or the end of input leaves. */
async function promptLoop(input: Prompter, args: ClientArgs, log: Logger, report: ClientReport): Promise<number> {
  let code: number = EXIT.ok;
  for (;;) {
    const line = (await input.ask('Enter a number for a file, "stream", "quit", or text to echo: '))?.trim();
    if (line === undefined || line === 'quit') return code;
    if (line === '') continue;
    let text = line;
    if (line === 'stream') {
      const interval = await input.ask('Interval between segments (ms): ');
      const count = await input.ask('Number of segments: ');
      const size = await input.ask('Segment size (bytes): ');
      if (size === undefined) return code;
      text = streamRequestOf(interval ?? '', count ?? '', size);
    }
    const result = await request(text, args, log, report);
    if (result === EXIT.cannotConnect) return result;
    if (result !== EXIT.ok) code = result;
  }
}

/** The request the arguments give, if any (words after `--` too: a request may start with "-"). */
const requestWords = (args: ClientArgs) => typedWords(args, args.request).join(' ');

/** The server a client run talks to: `--port`, or the port of its variant. */
const clientPort = (args: ClientArgs) =>
  args.port ?? (args.advanced ? ADVANCED_PORT : args.udp ? ARDEI_UDP_PORT : ARDEI_TCP_PORT);

/** What `--json` names the run by: the request, or a prompt session. */
const subjectOf = (args: ClientArgs) => ({
  protocol: args.advanced ? 'ardei-advanced' : args.udp ? 'ardei-udp' : 'ardei',
  peer: hostPort(args.host, clientPort(args)),
  ...(args.advanced
    ? { operation: 'advanced' }
    : requestWords(args)
      ? { operation: 'request', name: requestWords(args) }
      : { operation: 'requests' }),
});

async function runClient(args: ClientArgs, report: ClientReport): Promise<number> {
  const log = loggerFrom(args, 'error');
  if (args.advanced) return advancedSession(args, log, report);
  const words = requestWords(args);
  if (words !== '') return request(words, args, log, report);
  const input = prompter(report.promptStream);
  try {
    return await promptLoop(input, args, log, report);
  } finally {
    input.close();
  }
}

/**
 * The next command typed or piped in, exactly as given; blank lines ask nothing; the end of input is `quit`. A
 * command holding `929Z`, which ends every command on the wire, cannot be sent: `unsendable` hears it, and the
 * next one is asked for.
 */
async function nextCommand(input: Prompter, unsendable: (line: string) => void): Promise<string> {
  for (;;) {
    const line = await input.ask('ls, chdir PATH, dl PATH or quit: ');
    if (line === undefined) return 'quit';
    if (line.includes(DELIMITER_TEXT)) unsendable(line);
    else if (line !== '') return line;
  }
}

/**
 * One session of the advanced variant: commands from the prompt (or stdin, one per line) until `quit` or
 * the end of input, which sends `quit` too (the original server spins after a client that leaves without
 * it); each reply printed; a `dl` saved here under the name asked for. Exit 3 when any command was
 * refused, 4 when the server broke the protocol, 7 when a download could not be written.
 */
async function advancedSession(args: ClientArgs, log: Logger, report: ClientReport): Promise<number> {
  const input = prompter(report.promptStream);
  const spec = ardeiAdvancedClient(downloadFolder(process.cwd()), { idleTimeoutMs: args['idle-timeout'] * 1000 });
  let asked = 0;
  let removalTold = false;
  let unsent = 0;
  const unsendable = (line: string) => {
    unsent++;
    report.note(`not sent: ${JSON.stringify(line)} holds ${DELIMITER_TEXT}, which ends a command on the wire`);
  };
  const converse = (actor: ActorRefFrom<typeof ardeiAdvancedClientMachine>) =>
    actor.subscribe({
      next: (snapshot) => {
        const { removed } = snapshot.context;
        if (removed !== undefined && !removalTold) {
          removalTold = true;
          process.stdout.write(`Removed ${removed}: the server sent bytes past its announced size\n`);
        }
        if (snapshot.status !== 'active' || !snapshot.matches('ready') || snapshot.context.replies < asked) return;
        if (asked > 0) report.print(`${printableLines(snapshot.context.reply)}\n`);
        asked++;
        void nextCommand(input, unsendable).then((text) => actor.send({ type: 'user.command', text }));
      },
      error: () => undefined,
    });
  try {
    const outcome = report.ended(
      await runClientSession(
        {
          protocol: 'ardei-advanced',
          transport: 'tcp',
          host: args.host,
          port: clientPort(args),
          spec,
          starting: () => report.start(),
        },
        args,
        log,
        converse,
      ),
    );
    if (outcome.ok && unsent === 0) return EXIT.ok;
    if (outcome.ok) return report.fail(EXIT.refused, `${unsent} command(s) not sent: they held ${DELIMITER_TEXT}`);
    return report.fail(exitCodeFor(outcome.outcome), outcomeWords(outcome.outcome, outcome.detail));
  } catch (error) {
    if (!(error instanceof CannotConnect)) throw error;
    return report.fail(EXIT.cannotConnect, error.message);
  } finally {
    input.close();
  }
}

/** Adds `ardei server` and `ardei client`. */
export const ardeiCommand = protocolRoles((roles) =>
  roles
    .command(
      'server',
      'Serve echo, files and streams on a TCP and a UDP port',
      valuesRequired(serverBuilder),
      runServer,
    )
    .command(
      'client [request..]',
      'Ask for an echo, a file or a stream, and report what came',
      valuesRequired(clientBuilder),
      exitWith(reported('ardei', subjectOf, runClient)),
    ),
);

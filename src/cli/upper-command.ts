/**
 * `wirestate upper server [PORT]` and `wirestate upper client [SENTENCE...]`:
 * the lab's first exercise (seed 003), run as the slides show it.
 */
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import { valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import { EXIT } from '../engine/exit-codes';
import { lineClientReported, type ClientReport } from './json-result';
import { prompter } from './prompt';
import { exitWith, protocolRoles, withPortArgument } from './protocol-command';
import { serve, withServerOptions } from './serve';
import { runTextClient, withTextClientOptions } from './text-client-run';
import { textRequestInput, withTextRequestOptions } from './text-protocol-options';
import { UPPER_MAX_REQUEST, UPPER_PORT } from '../../machines/upper/codec';
import { upperClient, upperServer } from '../../machines/upper';
import { printable } from './printable';
import { typedWords } from './words-after-options';

const serverBuilder = (yargs: Argv) =>
  withPortArgument(withTextRequestOptions(withServerOptions(yargs), UPPER_MAX_REQUEST), UPPER_PORT).epilog(
    examples(['$0 upper server', 'answer on port 12000']),
  );

async function runServer(args: Awaited<ReturnType<typeof serverBuilder>['argv']>): Promise<void> {
  const log = loggerFrom(args);
  await serve(args, log, [{ transport: 'tcp', port: args.port, protocol: upperServer(textRequestInput(args)) }]);
  log.info('Server is running', { event: 'running', protocol: 'upper' });
}

const clientBuilder = (yargs: Argv) =>
  withTextClientOptions(yargs, UPPER_PORT)
    .positional('sentence', {
      type: 'string',
      array: true,
      describe: 'The text to send (default: asked for, or read from stdin)',
    })
    .epilog(
      examples(
        ['$0 upper client', 'asks "Input lowercase sequence:"'],
        ['$0 upper client Hello World!', 'prints "Message received: HELLO WORLD!"'],
      ),
    )
    .epilog(
      'Exit codes: 0 answered, 2 bad arguments or no input, 5 interrupted or no answer in time (--idle-timeout), 6 cannot connect, 8 the --inspect port in use.',
    );

type ClientArgs = Awaited<ReturnType<typeof clientBuilder>['argv']>;

async function runClient(args: ClientArgs, report: ClientReport): Promise<number> {
  const words = typedWords(args, args.sentence);
  let sentence = words.length > 0 ? words.join(' ') : undefined;
  if (sentence === undefined) {
    const input = prompter(report.promptStream);
    sentence = await input.ask('Input lowercase sequence: ');
    input.close();
  }
  if (sentence === undefined) return report.fail(EXIT.usage, 'no input');
  const { code, reply } = await runTextClient(
    'upper',
    upperClient({ lines: [sentence], maxReply: 4 * UPPER_MAX_REQUEST, idleTimeoutMs: args['idle-timeout'] * 1000 }),
    args,
    report,
  );
  // The server's words, not a file's bytes: its control characters are shown, not obeyed by the terminal.
  if (reply) report.print(`Message received: ${printable(reply.toString())}\n`);
  return code;
}

/** Adds `upper server` and `upper client`. */
export const upperCommand = protocolRoles((roles) =>
  roles
    .command('server [port]', 'Answer each line upper-cased', valuesRequired(serverBuilder), runServer)
    .command(
      'client [sentence..]',
      'Send a line and print the answer',
      valuesRequired(clientBuilder),
      exitWith(
        lineClientReported(
          'upper',
          (args: ClientArgs) => typedWords(args, args.sentence).join(' ') || undefined,
          runClient,
        ),
      ),
    ),
);

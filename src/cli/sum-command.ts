/**
 * `wirestate sum server [PORT]` and `wirestate sum client [NAME] [NUMBER]`:
 * the lab's second exercise (seed 003). The client asks for what it is not
 * given; a number outside 1..100 stops the server, as the exercise says.
 */
import { randomInt } from 'node:crypto';
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
import {
  checkNumber,
  HIGHEST,
  LOWEST,
  nameProblem,
  parseSumReply,
  SUM_MAX_REQUEST,
  SUM_PORT,
} from '../../machines/sum/codec';
import { sumClient, sumServer } from '../../machines/sum';
import { printable } from './printable';
import { typedWords } from './words-after-options';
import { unexpectedWords } from './usage-words';

const inRange = (value: number) => Number.isInteger(value) && value >= LOWEST && value <= HIGHEST;

const serverBuilder = (yargs: Argv) =>
  withPortArgument(withTextRequestOptions(withServerOptions(yargs), SUM_MAX_REQUEST), SUM_PORT)
    .option('name', { type: 'string', default: 'Server of wirestate', describe: "The server's name" })
    .option('number', {
      type: 'number',
      describe: `The server's number, ${LOWEST}..${HIGHEST}`,
      defaultDescription: 'random, chosen at start',
    })
    .check((args) => {
      const problem = nameProblem(args.name);
      if (problem) throw new Error(`--name: ${problem}`);
      if (args.number !== undefined && !inRange(args.number))
        throw new Error(`--number must be a whole number from ${LOWEST} to ${HIGHEST}`);
      return true;
    })
    .epilog(examples(['$0 sum server --name "Server of John Q. Smith"', 'answer on port 12001 with a random number']));

async function runServer(args: Awaited<ReturnType<typeof serverBuilder>['argv']>): Promise<void> {
  const log = loggerFrom(args);
  const serverNumber = args.number ?? randomInt(LOWEST, HIGHEST + 1);
  await serve(args, log, [
    {
      transport: 'tcp',
      port: args.port,
      protocol: sumServer({ serverName: args.name, serverNumber, ...textRequestInput(args) }),
    },
  ]);
  log.info(
    `${args.name} has the number ${serverNumber}; a client sending a number outside ${LOWEST}..${HIGHEST} stops it`,
    { event: 'number', name: args.name, number: serverNumber, lowest: LOWEST, highest: HIGHEST },
  );
}

const clientBuilder = (yargs: Argv) =>
  withTextClientOptions(yargs, SUM_PORT)
    .positional('name', { type: 'string', describe: 'Your name (default: asked for, or read from stdin)' })
    .positional('number', {
      type: 'string',
      describe: `A whole number, ${LOWEST}..${HIGHEST}; any other stops the server (default: asked for)`,
    })
    .epilog(
      examples(
        ['$0 sum client', 'asks for a name and a number'],
        ['$0 sum client Alice 42', 'prints both names, both numbers and the sum'],
        ['$0 sum client Alice 0', 'stops the server'],
      ),
    )
    .epilog(
      'Exit codes: 0 answered, 2 bad arguments or no input, 3 the server refused the number (and stopped, if it was out of range), 5 interrupted or no answer in time, 6 cannot connect, 8 the --inspect port in use.',
    );

type ClientArgs = Awaited<ReturnType<typeof clientBuilder>['argv']>;

/** The name and the number as typed, those after `--` too (a name that starts with `-`), and any word past them. */
const typedNameAndNumber = (args: ClientArgs): { name?: string; number?: string; extra: string[] } => {
  const [name, number, ...extra] = typedWords(
    args,
    [args.name, args.number].filter((word) => word !== undefined),
  );
  return { name, number, extra };
};

async function runClient(args: ClientArgs, report: ClientReport): Promise<number> {
  const fail = (message: string) => report.fail(EXIT.usage, message);
  const typed = typedNameAndNumber(args);
  if (typed.extra.length > 0) return fail(unexpectedWords(typed.extra));
  let { name, number } = typed;
  if (name === undefined || number === undefined) {
    const input = prompter(report.promptStream);
    name ??= await input.ask('Name: ');
    if (name !== undefined) number ??= await input.ask(`Integer between ${LOWEST} and ${HIGHEST}: `);
    input.close();
  }
  if (name === undefined || number === undefined) return fail('no input');
  const problem = nameProblem(name);
  if (problem) return fail(problem);
  const check = checkNumber(number);
  if (check.kind === 'not_integer') return fail(`not a whole number: ${JSON.stringify(number)}`);

  const { code, reply } = await runTextClient(
    'sum',
    sumClient({
      lines: [name, String(check.value)],
      maxReply: SUM_MAX_REQUEST,
      idleTimeoutMs: args['idle-timeout'] * 1000,
    }),
    args,
    report,
  );
  if (!reply) return code;
  const answer = parseSumReply(reply);
  if (answer.kind !== 'answer')
    return report.fail(EXIT.interrupted, `not a name and a number: ${JSON.stringify(reply.toString())}`);
  report.print(
    `Client name: ${name}\nServer name: ${printable(answer.name)}\n` +
      `Client number: ${check.value}\nServer number: ${answer.value}\nSum: ${check.value + answer.value}\n`,
  );
  return EXIT.ok;
}

/** Adds `sum server` and `sum client`. */
export const sumCommand = protocolRoles((roles) =>
  roles
    .command(
      'server [port]',
      'Answer with a name and a number; stop on a number out of range',
      valuesRequired(serverBuilder),
      runServer,
    )
    .command(
      'client [name] [number]',
      'Send a name and a number, print both and the sum',
      valuesRequired(clientBuilder),
      exitWith(lineClientReported('sum', (args: ClientArgs) => typedNameAndNumber(args).name, runClient)),
    ),
);

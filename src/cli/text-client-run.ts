/**
 * Runs the client of a one-shot text protocol (the lab's `upper` and `sum`)
 * from the command line: where the server is, one session, and the exit code
 * its outcome means. The caller prints the reply its own way.
 */
import type { Argv } from 'yargs';
import { outcomeWords } from './outcome-words';
import type { ConnectionSpec } from '../engine/protocol';
import { CannotConnect, runClientSession } from './client-session';
import { withClientOptions } from './common-options';
import { loggerFrom } from './logger-from';
import type { ClientActor } from '../engine/session-actor';
import { EXIT, TEXT_CLIENT_EXITS, exitCodeFor, type ExitCodes } from '../engine/exit-codes';
import { serverPortArgument } from './server-port-argument';
import { withJsonOption, type ClientReport } from './json-result';

/** `--host` and `--port` of the server (the seeds' clients have them built in), plus every client's flags and `--json`. */
export function withTextClientOptions<T>(yargs: Argv<T>, port: number) {
  return withJsonOption(withClientOptions(yargs, 30))
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Server host' })
    .option('port', { ...serverPortArgument('--port', 'Server port'), default: port });
}

export type TextClientArgs = Awaited<ReturnType<typeof withTextClientOptions>['argv']>;

export interface TextClientResult {
  code: number;
  reply?: Buffer;
}

/**
 * Runs `spec` against the server; `reply` is set when the server answered (code 0). Failures go to
 * `report`. `exitCodes`: the protocol's, by outcome.
 */
export async function runTextClient(
  protocol: string,
  spec: ConnectionSpec,
  args: TextClientArgs,
  report: ClientReport,
  exitCodes: ExitCodes = TEXT_CLIENT_EXITS,
): Promise<TextClientResult> {
  const log = loggerFrom(args, 'error');
  const fail = (code: number, message: string): TextClientResult => ({ code: report.fail(code, message) });
  let reply: Buffer = Buffer.alloc(0);
  // The error callback keeps xstate from rethrowing a failed machine's error; the session reports it.
  const keepReply = (actor: ClientActor<{ reply: Buffer }>) =>
    actor.subscribe({ next: (snapshot) => (reply = snapshot.context.reply), error: () => undefined });
  try {
    const outcome = report.ended(
      await runClientSession(
        {
          protocol,
          transport: 'tcp',
          host: args.host,
          port: args.port,
          spec,
          logsEnd: !report.writesEndLine,
          starting: () => report.start(),
        },
        args,
        log,
        keepReply,
      ),
    );
    const code = exitCodeFor(outcome.outcome, exitCodes);
    if (code === EXIT.ok) return { code, reply };
    return fail(code, outcomeWords(outcome.outcome, outcome.detail));
  } catch (error) {
    if (error instanceof CannotConnect) return fail(EXIT.cannotConnect, error.message);
    throw error;
  }
}

/** How a protocol's command is put together: `wirestate NAME server ...` and `wirestate NAME client ...`. */
import type { Argv } from 'yargs';
import type { CommandBody } from './command-body';
import { listenPortArgument } from './server-port-argument';
import { holdKeptInspector } from './kept-inspector';

/** A protocol's command: the roles `addRoles` declares, one of which must be named. */
export const protocolRoles = (addRoles: (roles: Argv) => Argv<unknown>): CommandBody => ({
  builder: (roles) => addRoles(roles).demandCommand(1, 'name a role: server or client'),
});

/**
 * A handler whose result is the process's exit code; a client's kept inspector page stays up after it (until Ctrl-C).
 * Once the loop has nothing left to do (every write out: a trace's last lines, a warning about it), the process
 * exits, its signal handlers still in place: left to end by itself, it tore them down first, and a signal in those
 * last milliseconds met Node's default (death by the signal, the run's code lost).
 */
export const exitWith =
  <A>(run: (args: A) => Promise<number>) =>
  async (args: A): Promise<void> => {
    const code = await run(args);
    process.exitCode = code;
    await holdKeptInspector();
    process.once('beforeExit', () => process.exit(code));
  };

/** The optional `[port]` a server listens on, defaulting to its exercise's port. */
export function withPortArgument<T>(yargs: Argv<T>, port: number) {
  return yargs
    .positional('port', { ...listenPortArgument('port', 'PORT', 'Port to listen on'), default: port })
    .number('port');
}

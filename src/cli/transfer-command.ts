/** `wirestate transfer server|client`: the transfer protocol under its name, like every other protocol (also `wirestate server|client`). */
import type { Argv } from 'yargs';
import { clientCommand } from './client-command';
import { serverCommand } from './server-command';

export function transferCommand<T>(yargs: Argv<T>) {
  return yargs.command('transfer', 'File transfer as a state machine over TCP (seed 002; same as `server` / `client`)', (transfer) =>
    clientCommand(serverCommand(transfer)).demandCommand(1, 'name a role: server or client'),
  );
}

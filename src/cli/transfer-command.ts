/** `wirestate transfer server|client`: the transfer protocol under its name, like every other protocol (also `wirestate server|client`). */
import type { Argv } from 'yargs';
import { clientCommand } from './client-command';
import { protocolCommand } from './protocol-command';
import { serverCommand } from './server-command';

export const transferCommand = <T>(yargs: Argv<T>) =>
  protocolCommand(yargs, 'transfer', 'File transfer as a state machine over TCP (seed 002; same as `server` / `client`)', (roles) => clientCommand(serverCommand(roles)));

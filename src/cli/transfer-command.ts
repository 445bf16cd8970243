/** `wirestate transfer server|client`: the transfer protocol under its name, like every other protocol (also `wirestate server|client`). */
import type { Argv } from 'yargs';
import { clientCommand } from './client-command';
import { protocolCommand } from './protocol-command';
import { serverCommand } from './server-command';
import { transferProtocol } from '../../machines/transfer';

export const transferCommand = <T>(yargs: Argv<T>) =>
  protocolCommand(yargs, transferProtocol.name, transferProtocol.summary, (roles) =>
    clientCommand(serverCommand(roles)),
  );

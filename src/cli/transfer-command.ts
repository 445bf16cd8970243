/** `wirestate transfer server|client`: the transfer protocol under its name, like every other protocol (also `wirestate server|client`). */
import { clientBody } from './client-command';
import { TRANSFER_ROLES, addCommand } from './command-body';
import { protocolRoles } from './protocol-command';
import { serverBody } from './server-command';

export const transferCommand = protocolRoles((roles) =>
  addCommand(
    addCommand(roles, 'server', TRANSFER_ROLES.server, serverBody),
    'client',
    TRANSFER_ROLES.client,
    clientBody,
  ),
);

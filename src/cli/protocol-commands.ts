/** Each registered protocol's `wirestate NAME ...` command: its own where it has one (its flags, its output), else the generic one. */
import type { Argv } from 'yargs';
import type { ProtocolDescriptor } from '../../machines/protocol-descriptor';
import { ardeiCommand } from './ardei-command';
import { blocksCommand } from './blocks-command';
import { genericProtocolCommand } from './generic-protocol-command';
import { queueCommand } from './queue-command';
import { shareCommand } from './share-command';
import { sumCommand } from './sum-command';
import { transferCommand } from './transfer-command';
import { upperCommand } from './upper-command';

export type Command = (yargs: Argv) => Argv<unknown>;

const OWN_COMMANDS: Record<string, Command> = {
  transfer: transferCommand,
  queue: queueCommand,
  upper: upperCommand,
  sum: sumCommand,
  blocks: blocksCommand,
  share: shareCommand,
  ardei: ardeiCommand,
};

export const protocolCommands = (protocols: readonly ProtocolDescriptor[]): Command[] =>
  protocols.map((protocol) => OWN_COMMANDS[protocol.name] ?? genericProtocolCommand(protocol));

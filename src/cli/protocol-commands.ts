/** Each registered protocol's `wirestate NAME ...` command: its own where it has one (its flags, its output), else the generic one. */
import type { ProtocolEntry } from '../../machines/protocols';
import type { CommandBody } from './command-body';

const OWN_COMMANDS: Record<string, () => Promise<CommandBody>> = {
  transfer: async () => (await import('./transfer-command')).transferCommand,
  queue: async () => (await import('./queue-command')).queueCommand,
  upper: async () => (await import('./upper-command')).upperCommand,
  sum: async () => (await import('./sum-command')).sumCommand,
  blocks: async () => (await import('./blocks-command')).blocksCommand,
  share: async () => (await import('./share-command')).shareCommand,
  ardei: async () => (await import('./ardei-command')).ardeiCommand,
};

/** Loads the protocol's command module (and so its machines), and only that protocol's. */
export async function protocolCommand(protocol: ProtocolEntry): Promise<CommandBody> {
  const own = OWN_COMMANDS[protocol.name];
  if (own) return own();
  return (await import('./generic-protocol-command')).genericProtocolCommand(await protocol.load());
}

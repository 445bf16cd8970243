/** `wirestate client`: download or upload files over the transfer protocol, with the seed client's flags. */
import type { CommandBody } from './command-body';
import { valuesRequired } from './common-options';
import { clientBuilder, type ClientArgs } from './client-options';
import { exitWith } from './protocol-command';

/** The flags load with the command; the transfer machines, the logger and the loop only once it runs (not for --help). */
export const clientBody: CommandBody = {
  builder: valuesRequired(clientBuilder),
  handler: exitWith(async (args: ClientArgs) => (await import('./client-run')).runClient(args)),
};

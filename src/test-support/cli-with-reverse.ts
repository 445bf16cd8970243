/** `wirestate` with the test protocol registered by the one entry a new protocol adds to the list. */
import { hideBin } from 'yargs/helpers';
import { PROTOCOLS } from '../../machines/protocols';
import { runCli } from '../cli/cli';

void runCli(
  [
    ...PROTOCOLS,
    {
      name: 'reverse',
      summary: 'A line in, the line reversed back (a test protocol)',
      load: async () => (await import('./protocols/reverse')).reverseProtocol,
    },
  ],
  hideBin(process.argv),
);

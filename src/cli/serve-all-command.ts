/** `wirestate serve-all`: every registered protocol's servers on their default ports, in one process. */
import type { Argv } from 'yargs';
import { PROTOCOLS } from '../../machines/protocols';
import { loggerFrom, valuesRequired } from './common-options';
import { serveDefaults, withDefaultServerOptions } from './serve-defaults';
import { warnIfOpenToUploads } from './upload-safety';

const builder = (yargs: Argv) =>
  withDefaultServerOptions(yargs, PROTOCOLS, 'Folder served by transfer, blocks, share and ardei advanced').example(
    '$0 serve-all --inspect',
    'every seed at once, watched in one inspector on http://127.0.0.1:50080/',
  );

async function handler(args: Awaited<ReturnType<typeof builder>['argv']>): Promise<void> {
  const log = loggerFrom(args, false);
  warnIfOpenToUploads(log, args, 'the transfer and share servers accept');
  const root = await serveDefaults(args, log, PROTOCOLS);
  log.info(`serving ${root}; a sum client sending a number outside 1..100 stops the sum server, the others go on`);
}

/** Adds `serve-all`. */
export const serveAllCommand = <T>(yargs: Argv<T>) => yargs.command('serve-all', "Every protocol's server on its default port, in one process", valuesRequired(builder), handler);

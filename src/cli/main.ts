#!/usr/bin/env node
/** The `wirestate` command: one subcommand per role. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ardeiCommand } from './ardei-command';
import { blocksCommand } from './blocks-command';
import { queueCommand } from './queue-command';
import { shareCommand } from './share-command';
import { sumCommand } from './sum-command';
import { upperCommand } from './upper-command';
import { clientCommand } from './client-command';
import { EXIT } from '../engine/exit-codes';
import { proxyCommand } from './proxy-command';
import { replayCommand } from './replay-command';
import { serveAllCommand } from './serve-all-command';
import { serverCommand } from './server-command';
import { transferCommand } from './transfer-command';

// `npm run server|client` moves into the package folder; paths the user typed are relative to where they typed them.
if (process.env.INIT_CWD && process.env.npm_lifecycle_script?.includes('dist/src/cli/main.js')) process.chdir(process.env.INIT_CWD);

/** Every command, in the order `--help` lists them: adding a protocol adds its command here. */
const COMMANDS = [serverCommand, clientCommand, transferCommand, queueCommand, upperCommand, sumCommand, blocksCommand, shareCommand, ardeiCommand, serveAllCommand, proxyCommand, replayCommand];

const cli = COMMANDS.reduce((parser, command) => command(parser), yargs(hideBin(process.argv)).scriptName('wirestate'));
void cli
  .demandCommand(1, 'name a command: server or client')
  .strict()
  .help('help')
  .alias('help', ['h', '?', 'usage'])
  .version()
  .wrap(Math.min(110, process.stdout.columns ?? 110))
  .fail((message, error, parser) => {
    if (error && !message) throw error;
    const oneLine = String(message ?? error?.message).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`wirestate: ${oneLine}\n\n`);
    parser.showHelp((text) => process.stderr.write(`${text}\n`));
    process.exit(EXIT.usage);
  })
  .parseAsync();

/**
 * `npm run crash-test -- [--rounds N] [--seconds S]`: the crash-consistency
 * harness (crash-rounds.ts) against the built CLI; prints the figures and
 * exits 1 if anything acknowledged was lost, duplicated or torn.
 */
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { crashRounds } from './crash-rounds';

async function main(): Promise<number> {
  const args = await yargs(hideBin(process.argv))
    .option('rounds', { type: 'number', default: 50, describe: 'Kill rounds at most' })
    .option('seconds', { type: 'number', default: 300, describe: 'No new round after this many seconds' })
    .option('senders', { type: 'number', default: 16, describe: 'Concurrent queue senders' })
    .option('receivers', { type: 'number', default: 8, describe: 'Concurrent queue receivers' })
    .option('uploaders', { type: 'number', default: 4, describe: 'Concurrent transfer uploads' })
    .strict()
    .parse();
  const figures = await crashRounds({
    ...args,
    cli: join(__dirname, '..', 'src', 'cli', 'main.js'),
    print: (line) => console.log(line),
  });
  console.log(JSON.stringify(figures, null, 2));
  const bad = figures.lost + figures.duplicated + figures.corrupt + figures.tempFiles;
  console.log(
    `rounds ${figures.rounds}, kills ${figures.kills}, acknowledged ${figures.acknowledged}, lost ${figures.lost}, duplicated ${figures.duplicated}`,
  );
  return bad === 0 ? 0 : 1;
}

void main().then((code) => (process.exitCode = code));

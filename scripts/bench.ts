/**
 * `npm run bench`: every figure issue 15's goals name, each next to its peer from the same run:
 * bulk transfer (bench-bulk.ts), small requests (bench-small-requests.ts), CLI start-up and one
 * process per file (bench-cli.ts), and queue messages per second (bench-queue-rate.ts). All traffic
 * is on loopback; every loop is bounded in count, every process in time (--timeout).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CLI, MiB, parseSize, runClient } from './bench-kit';
import { benchBulk } from './bench-bulk';
import { benchCli } from './bench-cli';
import { benchQueueRate } from './bench-queue-rate';
import { benchSmallRequests } from './bench-small-requests';
import { machineState } from './machine-state';
import { temporaryFolder, undoOnSignals } from './bench-interrupt';

const PARTS = ['bulk', 'small', 'cli', 'queue'] as const;

async function main(): Promise<void> {
  const args = await yargs(hideBin(process.argv))
    .scriptName('npm run bench --')
    .option('quick', { type: 'boolean', default: false, describe: 'Smaller sizes and counts: about a minute' })
    .option('only', { type: 'array', choices: PARTS, describe: 'Run only these parts' })
    .option('size', {
      type: 'string',
      describe: 'Bulk file size (bytes, or with K/M/G); default 1G, 128M with --quick',
    })
    .option('rounds', {
      type: 'number',
      describe: 'Bulk and queue rounds, each rotating the order; default 4, 2 with --quick',
    })
    .option('requests', { type: 'number', describe: 'Small round trips per server; default 2000, 400 with --quick' })
    .option('warm', {
      type: 'number',
      describe:
        'Unmeasured small round trips, queue send-receive pairs and one-run CLI downloads (whole runs) per server first, so that the JIT has compiled what a long-running server runs; default 3000, 500 with --quick',
    })
    .option('idle', { type: 'number', default: 500, describe: 'Idle connections held open per server' })
    .option('starts', { type: 'number', describe: 'CLI start-ups timed per command; default 20, 10 with --quick' })
    .option('files', {
      type: 'number',
      describe: '4 KiB files fetched one process each; default 1000, 40 with --quick',
    })
    .option('batch', {
      type: 'number',
      describe: '4 KiB files fetched by one client run (--list-file); default 2000, 500 with --quick',
    })
    .option('parallel', { type: 'number', default: 8, describe: '--parallel of that client run' })
    .option('messages', {
      type: 'number',
      describe: 'Queue messages per case and round; default 1000, 300 with --quick',
    })
    .option('senders', { type: 'array', default: [1, 8], describe: 'Concurrent queue clients, one case each' })
    .option('dir', {
      type: 'string',
      default: existsSync('/dev/shm') ? '/dev/shm' : tmpdir(),
      describe: 'Where bulk and small files live (RAM by default, so the disk does not set the pace)',
    })
    .option('disk-dir', { type: 'string', default: tmpdir(), describe: 'Where the on-disk queue store lives' })
    .option('seedpeer', {
      type: 'string',
      default: join(process.cwd(), '..', 'shared', 'tools', 'seedpeer.py'),
      describe: 'The original queue server (seedpeer.py)',
    })
    .option('inspect', {
      type: 'boolean',
      default: false,
      describe: 'Also move the bulk file through a wirestate server running with --inspect',
    })
    .option('baseline', {
      type: 'string',
      describe:
        "Bulk only: another wirestate build's dist/src/cli/main.js (an older commit), measured in the same rounds for before/after figures",
    })
    .option('timeout', { type: 'number', default: 300, describe: 'Seconds any one process or transfer may take' })
    .strict()
    .help()
    .parseAsync();
  const quick = args.quick;
  const warm = args.warm ?? (quick ? 500 : 3000);
  const parts = new Set(args.only ?? PARTS);
  undoOnSignals();
  const { path: work, remove: removeWork } = await temporaryFolder(args.dir, 'wirestate-bench-');
  const began = performance.now();
  const machine = machineState();
  console.log(`wirestate bench${quick ? ' --quick' : ''}: ${machine.start}; node ${process.version}`);
  try {
    await runClient(process.execPath, [CLI, 'server', '--help'], args.timeout); // warm the file cache
    if (parts.has('bulk')) {
      const size = parseSize(args.size ?? (quick ? '128M' : '1G'));
      await benchBulk({
        size,
        rounds: args.rounds ?? (quick ? 2 : 4),
        work,
        timeout: args.timeout,
        inspect: args.inspect,
        baseline: args.baseline,
      });
      console.log(`(bulk file ${(size / MiB).toFixed(0)} MiB)`);
    }
    if (parts.has('small'))
      await benchSmallRequests({
        requests: args.requests ?? (quick ? 400 : 2000),
        warm,
        idle: args.idle,
        work,
        timeout: args.timeout,
      });
    if (parts.has('cli'))
      await benchCli({
        starts: args.starts ?? (quick ? 10 : 20),
        files: args.files ?? (quick ? 40 : 1000),
        batch: args.batch ?? (quick ? 500 : 2000),
        parallel: args.parallel,
        warm,
        rounds: args.rounds ?? (quick ? 2 : 4),
        work,
        timeout: args.timeout,
      });
    if (parts.has('queue')) {
      await benchQueueRate({
        messages: args.messages ?? (quick ? 300 : 1000),
        warm,
        rounds: args.rounds ?? (quick ? 2 : 4),
        senders: args.senders.map(Number),
        seedpeer: args.seedpeer,
        diskDir: args['disk-dir'],
        timeout: args.timeout,
      });
    }
  } finally {
    await removeWork();
  }
  console.log(`\ndone in ${((performance.now() - began) / 1000).toFixed(0)} s; ${machine.end()}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

/**
 * CLI part of `npm run bench`: how long `wirestate client --help` takes to start and exit next to
 * `node -e 0`; files per second for many 4 KiB downloads with one client process per file, next to
 * curl + nginx doing the same (when installed), in alternating blocks; and files per second for one
 * client run moving many files (`--list-file`, `--parallel`), against the wirestate server and the
 * plain Node yardstick speaking the same protocol (which shows the client's own cost), in rotating rounds.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLI,
  figure,
  installed,
  makeFile,
  median,
  printTable,
  rotated,
  runClient,
  serverCpuSeconds,
  startServer,
  verifySize,
  type Server,
} from './bench-kit';
import { startNginx } from './bench-nginx';

const FILE_SIZE = 4096;
const YARDSTICK = join(__dirname, 'yardstick-server.js');
const LISTENING = /listening on [\d.]+:(\d+)/;

export interface CliOptions {
  starts: number;
  files: number;
  /** Files one client run moves. */
  batch: number;
  /** `--parallel` of that run. */
  parallel: number;
  /** Files fetched per server by unmeasured client runs before the one-run rounds (whole runs: at least this many). */
  warm: number;
  rounds: number;
  work: string;
  timeout: number;
}

export async function benchCli(options: CliOptions): Promise<void> {
  const startups = { 'node -e 0': [] as number[], 'wirestate client --help': [] as number[] };
  for (let start = 0; start < options.starts; start++) {
    startups['node -e 0'].push(await wallMs(process.execPath, ['-e', '0'], options.timeout));
    startups['wirestate client --help'].push(
      await wallMs(process.execPath, [CLI, 'client', '--help'], options.timeout),
    );
  }
  const node = median(startups['node -e 0']);
  const ours = median(startups['wirestate client --help']);
  console.log(
    `\nCLI start-up (median of ${options.starts}, alternating): node -e 0 ${figure(node, 1)} ms, wirestate client --help ${figure(ours, 1)} ms, ratio ${figure(ours / node, 2)}`,
  );

  const root = join(options.work, 'many');
  const out = join(options.work, 'many-out');
  await mkdir(out, { recursive: true });
  for (let index = 0; index < Math.max(options.files, options.batch); index++)
    await makeFile(join(root, `f${index}.bin`), FILE_SIZE);
  const servers: Server[] = [
    await startServer(
      'wirestate',
      process.execPath,
      [CLI, 'server', '--host', '127.0.0.1', '-l', '0', '--root', root],
      /listening on [\d.]+:(\d+)/,
      options.timeout,
    ),
  ];
  const fetchers: {
    name: string;
    fetch: (index: number, landed: string) => [string, string[]];
    seconds: number;
    done: number;
  }[] = [
    {
      name: 'wirestate client',
      fetch: (index, landed) => [
        process.execPath,
        [CLI, 'client', '-q', '-s', `127.0.0.1:${servers[0].port}`, '-v', `f${index}.bin`, '-l', landed],
      ],
      seconds: 0,
      done: 0,
    },
  ];
  try {
    if (installed('nginx') && installed('curl')) {
      const nginx = await startNginx('nginx', root, join(options.work, 'nginx-many'), true, options.timeout);
      servers.push(nginx);
      fetchers.push({
        name: 'curl + nginx',
        fetch: (index, landed) => ['curl', ['-sSf', '-o', landed, `http://127.0.0.1:${nginx.port}/f${index}.bin`]],
        seconds: 0,
        done: 0,
      });
    } else {
      console.log('curl + nginx: not installed, left out');
    }
    const block = Math.max(1, Math.ceil(options.files / 10));
    for (let first = 0; first < options.files; first += block) {
      for (const fetcher of first % (2 * block) === 0 ? fetchers : [...fetchers].reverse()) {
        const started = performance.now();
        for (let index = first; index < Math.min(first + block, options.files); index++) {
          const landed = join(out, `f${index}.bin`);
          const [command, argv] = fetcher.fetch(index, landed);
          await wallMs(command, argv, options.timeout);
          await verifySize(landed, FILE_SIZE);
          await rm(landed);
          fetcher.done++;
        }
        fetcher.seconds += (performance.now() - started) / 1000;
      }
    }
    console.log(`${options.files} downloads of ${FILE_SIZE} B, one process per file, one after another:`);
    printTable([
      ['client', 'files/s'],
      ...fetchers.map((fetcher) => [fetcher.name, figure(fetcher.done / fetcher.seconds, 1)]),
    ]);
  } finally {
    for (const server of servers) server.stop();
  }
  await benchOneRun(options, root);
}

/** One `wirestate client --list-file` run of `options.batch` downloads per server and round. */
async function benchOneRun(options: CliOptions, root: string): Promise<void> {
  const out = join(options.work, 'batch-out');
  const list = join(options.work, 'batch-list.txt');
  const names = Array.from({ length: options.batch }, (_, index) => `f${index}.bin`);
  await writeFile(list, names.map((name) => `${name}\t${join(out, name)}\n`).join(''));
  const servers = [
    await startServer(
      'wirestate server',
      process.execPath,
      [CLI, 'server', '--host', '127.0.0.1', '-l', '0', '--root', root],
      LISTENING,
      options.timeout,
    ),
    await startServer('plain Node yardstick', process.execPath, [YARDSTICK, root], LISTENING, options.timeout),
  ];
  // The yardstick speaks the plain protocol only (it drops a hello): its client says no hello (`--plain`).
  const clientFlags = (server: Server) => (server === servers[1] ? ['--plain'] : []);
  const tallies = servers.map(() => ({ filesPerSecond: [] as number[], clientCpu: 0, serverCpu: 0 }));
  /** One client run of the whole list against `server`, into an emptied folder; its wall time in seconds. */
  const fetchAll = async (server: Server) => {
    await rm(out, { recursive: true, force: true });
    await mkdir(out);
    const started = performance.now();
    const run = await runClient(
      process.execPath,
      [
        CLI,
        'client',
        '-q',
        '-s',
        `127.0.0.1:${server.port}`,
        '--list-file',
        list,
        '--parallel',
        `${options.parallel}`,
        ...clientFlags(server),
      ],
      options.timeout,
    ).catch((error: unknown) => {
      throw new Error(`against the ${server.name} (${serverState(server)}): ${(error as Error).message}`);
    });
    const seconds = (performance.now() - started) / 1000;
    for (const name of names) await verifySize(join(out, name), FILE_SIZE);
    return { seconds, cpuSeconds: run.cpuSeconds };
  };
  try {
    // A fresh server's first few thousand files cost it about twice what the later ones do (the JIT compiling).
    for (const server of servers) for (let done = 0; done < options.warm; done += options.batch) await fetchAll(server);
    for (let round = 0; round < options.rounds; round++) {
      for (const server of rotated(servers, round)) {
        const tally = tallies[servers.indexOf(server)];
        const serverCpuBefore = serverCpuSeconds(server);
        const run = await fetchAll(server);
        tally.filesPerSecond.push(options.batch / run.seconds);
        tally.serverCpu += serverCpuSeconds(server) - serverCpuBefore;
        tally.clientCpu += run.cpuSeconds;
      }
    }
  } finally {
    for (const server of servers) server.stop();
  }
  const perFile = (seconds: number) => figure((seconds * 1000) / (options.batch * options.rounds), 3);
  console.log(
    `one client run of ${options.batch} downloads of ${FILE_SIZE} B (--list-file, --parallel ${options.parallel}; --plain against the yardstick), median of ${options.rounds} rounds after ${options.warm} unmeasured, start-up included:`,
  );
  printTable([
    ['server', 'files/s', 'client CPU ms/file', 'server CPU ms/file'],
    ...servers.map((server, index) => [
      server.name,
      figure(median(tallies[index].filesPerSecond), 0),
      perFile(tallies[index].clientCpu),
      perFile(tallies[index].serverCpu),
    ]),
  ]);
}

/** Whether a server under measurement still runs, or how it ended: what a failed client run is read with. */
function serverState(server: Server): string {
  const { exitCode, signalCode } = server.child;
  return exitCode === null && signalCode === null ? 'still running' : `it exited ${String(exitCode ?? signalCode)}`;
}

/** Milliseconds from spawning `command` to its exit; rejects on a non-zero exit. */
function wallMs(command: string, argv: string[], timeoutSeconds: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: 'ignore', timeout: timeoutSeconds * 1000 });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${command} ${argv.slice(0, 3).join(' ')} exited ${String(code ?? signal)}`)),
    );
  });
}

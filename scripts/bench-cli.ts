/**
 * CLI part of `npm run bench`: how long `wirestate client --help` takes to start and exit next to
 * `node -e 0`, and files per second for many 4 KiB downloads with one client process per file,
 * next to curl + nginx doing the same (when installed), in alternating blocks.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLI,
  figure,
  installed,
  makeFile,
  median,
  printTable,
  startServer,
  verifySize,
  type Server,
} from './bench-kit';
import { startNginx } from './bench-nginx';

const FILE_SIZE = 4096;

export interface CliOptions {
  starts: number;
  files: number;
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
  for (let index = 0; index < options.files; index++) await makeFile(join(root, `f${index}.bin`), FILE_SIZE);
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

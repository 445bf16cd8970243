/**
 * Bulk part of `npm run bench`: one large file down and up, with wirestate (with and without --verify) and its peers (the plain
 * Node pipe, socat and nginx + curl when installed), in interleaved rounds. Each step records MiB/s,
 * the CPU both ends used and the Mark-Compacts of each Node end; each server's peak RSS is read at
 * the end.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLI,
  MiB,
  figure,
  installed,
  makeFile,
  median,
  printTable,
  rotated,
  runClient,
  serverCpuSeconds,
  serverMemoryMiB,
  sleep,
  startServer,
  waitForSize,
  type Server,
} from './bench-kit';
import { startNginx } from './bench-nginx';

const PLAIN = join(__dirname, 'plain-pipe.js');
const GiB = 1024 * MiB;
const NO_VERIFY = 'wirestate --no-verify';

export interface BulkOptions {
  size: number;
  rounds: number;
  work: string;
  timeout: number;
  inspect: boolean;
  /** Another wirestate build's `dist/src/cli/main.js` (an older commit), run as a peer of its own for before/after figures. */
  baseline?: string;
}

/** One way a peer moves the file: the server that takes part and the client command that moves it into `landed`. */
interface Direction {
  server: Server;
  client: (landed: string) => [string, string[]];
  /** Where the bytes land: the client's output for a download, a file under the server's folder for an upload. */
  landed: string;
}

interface Peer {
  name: string;
  node: boolean;
  download: Direction;
  upload: Direction;
}

interface Step {
  mibPerSecond: number;
  clientCpu: number;
  serverCpu: number;
  clientMarkCompacts: number;
  serverMarkCompacts: number;
}

export async function benchBulk(options: BulkOptions): Promise<void> {
  const { size, work, timeout } = options;
  const root = join(work, 'root');
  const source = join(root, 'source.bin');
  await makeFile(source, size);
  const servers: Server[] = [];
  const track = (server: Server) => (servers.push(server), server);
  try {
    // Between wirestate peers --verify (SHA-256 of the whole file, both ends) is on by default: the second peer
    // is the same pair without it, so the table shows what verification costs, in the same interleaved rounds.
    const peers: Peer[] = [
      await wirestatePeer('wirestate', []),
      await wirestatePeer(NO_VERIFY, [], CLI, ['--no-verify']),
    ];
    if (options.baseline) peers.push(await wirestatePeer('baseline', [], options.baseline));
    if (options.inspect) peers.push(await wirestatePeer('wirestate --inspect', ['--inspect', '0']));
    peers.push(await plainPeer());
    if (installed('socat')) peers.push(await socatPeer());
    else console.log('socat: not installed, left out (apt-get install socat)');
    if (installed('nginx') && installed('curl'))
      peers.push(await nginxPeer('nginx sendfile', true), await nginxPeer('nginx', false));
    else console.log('nginx + curl: not installed, left out (apt-get install nginx-light curl)');

    console.log(
      `bulk: ${(size / MiB).toFixed(0)} MiB file in ${work}, ${options.rounds} rounds, loopback; times run from client start to the file complete`,
    );
    const steps = peers.flatMap((peer) => [
      { name: `${peer.name} download`, way: 'download', peer, direction: peer.download },
      { name: `${peer.name} upload`, way: 'upload', peer, direction: peer.upload },
    ]);
    const results = new Map<string, Step[]>(steps.map((step) => [step.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      // A step run right after another's large write to tmpfs is measurably slower, so the order rotates.
      for (const step of rotated(steps, round)) results.get(step.name)!.push(await measure(step.direction));
      console.log(
        `  round ${round + 1}: ` +
          steps.map((step) => `${step.name} ${results.get(step.name)![round].mibPerSecond.toFixed(0)}`).join(', ') +
          ' MiB/s',
      );
    }
    report(
      steps.map((step) => ({ ...step, results: results.get(step.name)! })),
      size,
    );
    console.log('\nserver peak RSS (MiB): ' + peers.map((peer) => `${peer.name} ${peakRss(peer)}`).join(', '));
  } finally {
    for (const server of servers) server.stop();
  }

  async function measure(direction: Direction): Promise<Step> {
    const cpuBefore = serverCpuSeconds(direction.server);
    const markCompactsBefore = direction.server.markCompacts();
    const [command, argv] = direction.client(direction.landed);
    const started = performance.now();
    try {
      const run = await runClient(command, argv, timeout);
      await waitForSize(direction.landed, size, timeout);
      const seconds = (performance.now() - started) / 1000;
      await sleep(100); // the server's last --trace-gc lines and its reaped children's CPU time
      return {
        mibPerSecond: size / MiB / seconds,
        clientCpu: run.cpuSeconds,
        serverCpu: serverCpuSeconds(direction.server) - cpuBefore,
        clientMarkCompacts: run.markCompacts,
        serverMarkCompacts: direction.server.markCompacts() - markCompactsBefore,
      };
    } finally {
      await rm(direction.landed, { force: true });
    }
  }

  async function wirestatePeer(name: string, extra: string[], cli = CLI, clientExtra: string[] = []): Promise<Peer> {
    const server = track(
      await startServer(
        name,
        process.execPath,
        [
          '--trace-gc',
          cli,
          'server',
          '--host',
          '127.0.0.1',
          '-l',
          '0',
          '--root',
          root,
          '--idle-timeout',
          String(timeout),
          ...extra,
        ],
        /transfer server listening on [\d.]+:(\d+)/,
        timeout,
      ),
    );
    const client = (...argv: string[]): [string, string[]] => [
      process.execPath,
      ['--trace-gc', cli, 'client', '-q', '-s', `127.0.0.1:${server.port}`, ...clientExtra, ...argv],
    ];
    const upName = `up-${name.replace(/\W+/g, '-')}.bin`;
    return {
      name,
      node: true,
      download: { server, client: (landed) => client('-v', 'source.bin', '-l', landed), landed: join(work, 'out.bin') },
      upload: { server, client: () => client('-m', 'upload', '-v', upName, '-l', source), landed: join(root, upName) },
    };
  }

  async function plainPeer(): Promise<Peer> {
    const listening = /listening on [\d.]+:(\d+)/;
    const sender = track(
      await startServer('plain serve', process.execPath, ['--trace-gc', PLAIN, 'serve', source], listening, timeout),
    );
    const landedUp = join(work, 'plain-up.bin');
    const receiver = track(
      await startServer(
        'plain accept',
        process.execPath,
        ['--trace-gc', PLAIN, 'accept', landedUp],
        listening,
        timeout,
      ),
    );
    return {
      name: 'plain Node pipe',
      node: true,
      download: {
        server: sender,
        client: (landed) => [process.execPath, ['--trace-gc', PLAIN, 'fetch', String(sender.port), landed]],
        landed: join(work, 'out.bin'),
      },
      upload: {
        server: receiver,
        client: () => [process.execPath, ['--trace-gc', PLAIN, 'push', String(receiver.port), source]],
        landed: landedUp,
      },
    };
  }

  async function socatPeer(): Promise<Peer> {
    const listening = /listening on AF=\d+ [\d.]+:(\d+)/;
    const listen = 'TCP-LISTEN:0,bind=127.0.0.1,reuseaddr,fork';
    const sender = track(
      await startServer(
        'socat serve',
        'socat',
        ['-d', '-d', '-U', listen, `OPEN:${source},rdonly`],
        listening,
        timeout,
      ),
    );
    const landedUp = join(work, 'socat-up.bin');
    const receiver = track(
      await startServer('socat accept', 'socat', ['-d', '-d', '-u', listen, `CREATE:${landedUp}`], listening, timeout),
    );
    return {
      name: 'socat',
      node: false,
      download: {
        server: sender,
        client: (landed) => ['socat', ['-u', `TCP:127.0.0.1:${sender.port}`, `CREATE:${landed}`]],
        landed: join(work, 'out.bin'),
      },
      upload: {
        server: receiver,
        client: () => ['socat', ['-u', `OPEN:${source},rdonly`, `TCP:127.0.0.1:${receiver.port}`]],
        landed: landedUp,
      },
    };
  }

  async function nginxPeer(name: string, sendfile: boolean): Promise<Peer> {
    const server = track(await startNginx(name, root, join(work, name.replace(/\W+/g, '-')), sendfile, timeout));
    const port = server.port;
    const url = `http://127.0.0.1:${port}`;
    const upName = `up-nginx-${port}.bin`;
    return {
      name: `${name} + curl`,
      node: false,
      download: {
        server,
        client: (landed) => ['curl', ['-sSf', '-o', landed, `${url}/source.bin`]],
        landed: join(work, 'out.bin'),
      },
      upload: {
        server,
        client: () => ['curl', ['-sSf', '-H', 'Expect:', '-T', source, `${url}/${upName}`]],
        landed: join(root, upName),
      },
    };
  }

  function peakRss(peer: Peer): string {
    if (peer.name === 'socat') return '– (a process per connection)';
    return figure(
      Math.max(serverMemoryMiB(peer.download.server, 'VmHWM'), serverMemoryMiB(peer.upload.server, 'VmHWM')),
      1,
    );
  }
}

function report(steps: { name: string; way: string; peer: Peer; results: Step[] }[], size: number): void {
  const gib = size / GiB;
  const rate = (name: string) =>
    median(steps.find((step) => step.name === name)?.results.map((result) => result.mibPerSecond) ?? []);
  const rows = [
    [
      'bulk (medians)',
      'MiB/s',
      '× plain',
      '× socat',
      'CPU s/GiB client',
      'server',
      'both',
      'Mark-Compacts/GiB client',
      'server',
    ],
  ];
  for (const step of steps) {
    const ours = median(step.results.map((result) => result.mibPerSecond));
    const perGiB = (pick: (result: Step) => number) => median(step.results.map(pick)) / gib;
    rows.push([
      step.name,
      figure(ours),
      figure(ours / rate(`plain Node pipe ${step.way}`), 2),
      figure(ours / rate(`socat ${step.way}`), 2),
      figure(
        perGiB((result) => result.clientCpu),
        2,
      ),
      figure(
        perGiB((result) => result.serverCpu),
        2,
      ),
      figure(
        perGiB((result) => result.clientCpu + result.serverCpu),
        2,
      ),
      step.peer.node
        ? figure(
            perGiB((result) => result.clientMarkCompacts),
            1,
          )
        : '–',
      step.peer.node
        ? figure(
            perGiB((result) => result.serverMarkCompacts),
            1,
          )
        : '–',
    ]);
  }
  console.log('');
  printTable(rows);
  console.log('');
  for (const way of ['download', 'upload'])
    console.log(verificationCost(way, rate(`wirestate ${way}`), rate(`${NO_VERIFY} ${way}`)));
}

/** One line: the throughput --verify (SHA-256) takes from a direction, from the two medians of the same run. */
function verificationCost(way: string, verified: number, unverified: number): string {
  return (
    `verification (SHA-256) ${way}: ${figure(verified)} MiB/s with, ${figure(unverified)} without: ` +
    `${figure((1 - verified / unverified) * 100, 1)}% of the throughput`
  );
}

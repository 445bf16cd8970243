/**
 * Start-up loads only what the command runs: `wirestate client --help` none of the protocols'
 * machines, logging, the inspector or lmdb; a protocol's command only its own protocol, lmdb only
 * with `--store` and the inspector only with `--inspect`; a client neither its protocol's server machine
 * nor the fixture scenarios, and a client that logs nothing not winston (nor, without --record, the trace writer,
 * nor the UDP loop a TCP session never uses). Each case is a real process whose loaded
 * modules are read from require's cache as it exits.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, run } from '../test-support/processes';
import { startTestServer } from '../test-support/servers';

const HEAVY = ['winston', 'xstate', 'lmdb', 'ws', '@dagrejs/dagre', 'superjson'];

let folder: string;
let preload: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wirestate-lazy-'));
  preload = join(folder, 'list-modules.js');
  await writeFile(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_OUT, Object.keys(require.cache).join('\\n')));`,
  );
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** The packages, protocols and our own files (under dist/) a command line loads. */
async function loaded(args: string[]): Promise<{ packages: string[]; machines: string[]; own: string[] }> {
  const out = join(folder, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const result = await run(process.execPath, ['--require', preload, CLI, ...args], {
    env: { ...process.env, MODULES_OUT: out },
  });
  expect(result.code).toBe(0);
  const files = (await readFile(out, 'utf8')).split('\n');
  const packages = HEAVY.filter((name) => files.some((file) => file.includes(`/node_modules/${name}/`)));
  const machines = [...new Set(files.flatMap((file) => /\/dist\/machines\/(\w+)\//.exec(file)?.[1] ?? []))];
  const own = files.flatMap((file) => /\/dist\/(.*)$/.exec(file)?.[1] ?? []);
  return { packages, machines: machines.sort(), own };
}

it('wirestate --help loads no protocol and none of the heavy packages', async () => {
  const { packages, machines } = await loaded(['--help']);
  expect({ packages, machines }).toEqual({ packages: [], machines: [] });
});

it('wirestate client --help loads only the transfer codec, none of the heavy packages, not the standard streams', async () => {
  const { packages, machines, own } = await loaded(['client', '--help']);
  expect({ packages, machines }).toEqual({ packages: [], machines: ['transfer'] });
  // Their fs/promises and stream/promises cost start-up ~7 ms (CLI start-up 1.92x -> 1.81x node -e 0).
  expect(own).not.toContain('src/storage/standard-streams.js');
});

it('a transfer client download that logs nothing loads neither winston, the server machine, the fixture scenarios, the trace writer nor the UDP loop', async () => {
  const server = await startTestServer();
  try {
    await writeFile(join(server.base, 'root', 'four.bin'), Buffer.alloc(4096, 7));
    const landed = join(folder, 'four.bin');
    const { packages, own } = await loaded([
      'client',
      '-q',
      '-s',
      `127.0.0.1:${server.port}`,
      '-v',
      'four.bin',
      '-l',
      landed,
    ]);
    expect((await readFile(landed)).length).toBe(4096);
    expect(packages).toEqual(['xstate']);
    expect(
      own.filter((file) =>
        /^(machines\/(transfer\/server|.*fixture-scenario)|src\/trace\/trace-writer|src\/loop\/udp-connect)/.test(file),
      ),
    ).toEqual([]);
  } finally {
    await server.stop();
  }
});

it('wirestate queue server --help loads the queue alone, without lmdb or the inspector', async () => {
  const { packages, machines } = await loaded(['queue', 'server', '--help']);
  expect(machines).toEqual(['queue']);
  expect(packages.filter((name) => ['lmdb', 'ws', '@dagrejs/dagre', 'superjson'].includes(name))).toEqual([]);
});

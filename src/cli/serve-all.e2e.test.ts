/** `serve-all --only/--except` runs a subset of the protocols, and `--NAME-port` moves one protocol's servers. */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startCliServer, wirestate } from '../test-support/processes';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-serve-all-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

let roots = 0;

/** Starts serve-all with `args` on loopback, a `--root` of its own that does not exist yet, and returns the servers it started, by name, with their ports, once all listen and `started` is logged. */
async function serveAll(args: string[], count: number, started: RegExp) {
  const root = join(base, `root-${++roots}`);
  const all = await startCliServer(['serve-all', '--host', '127.0.0.1', '--root', root, ...args]);
  await all.logged(new RegExp(`(server listening on [^\\n]+\\n[^]*){${count}}`));
  await all.logged(started);
  const listening = [...all.output().matchAll(/(\S+) server listening on 127\.0\.0\.1:(\d+)/g)].map(
    (match) => [match[1], Number(match[2])] as const,
  );
  return { all, listening, root };
}

it('--only upper sum, each on a port the OS picks: those two servers only, they answer, and no folder is made or named', async () => {
  const sumNote = /a sum client sending a number outside 1\.\.100 stops the sum server/;
  // --port-offset moves no server here: it was checked against the transfer server's 50001 too, and refused.
  const { all, listening, root } = await serveAll(
    ['--only', 'upper', 'sum', '--upper-port', '0', '--sum-port', '0', '--port-offset', '60000'],
    2,
    sumNote,
  );
  try {
    expect(listening.map(([name]) => name).sort()).toEqual(['sum', 'upper']);
    expect(all.output()).not.toMatch(/serving/);
    expect(existsSync(root)).toBe(false);
    const upper = listening.find(([name]) => name === 'upper')![1];
    expect(await wirestate(['upper', 'client', '--port', String(upper), 'hello'])).toMatchObject({
      code: EXIT.ok,
      stdout: 'Message received: HELLO\n',
    });
  } finally {
    all.child.kill('SIGTERM');
    await all.exited;
  }
});

it('--except every protocol but transfer: only the transfer server, on the port given', async () => {
  const others = ['queue', 'upper', 'sum', 'blocks', 'share', 'ardei'];
  const { all, listening, root } = await serveAll(['--except', ...others, '--transfer-port', '0'], 1, / serving /);
  try {
    expect(listening.map(([name]) => name)).toEqual(['transfer']);
    expect(all.output()).toContain(`serving ${root}`);
    expect(existsSync(root)).toBe(true);
    expect(all.output()).not.toMatch(/sum server/);
  } finally {
    all.child.kill('SIGTERM');
    await all.exited;
  }
});

it('--only and --except together, or a protocol that does not exist: one line, exit 2', async () => {
  expect(await wirestate(['serve-all', '--only', 'upper', '--except', 'sum'])).toMatchObject({
    code: EXIT.usage,
    stderr: expect.stringMatching(/^wirestate: --only and --except cannot be used together; see --help\n$/),
  });
  expect(await wirestate(['serve-all', '--only', 'nope'])).toMatchObject({
    code: EXIT.usage,
    stderr: "wirestate: --only must be transfer, queue, upper, sum, blocks, share or ardei, not 'nope'; see --help\n",
  });
  const every = ['transfer', 'queue', 'upper', 'sum', 'blocks', 'share', 'ardei'];
  expect(await wirestate(['serve-all', '--except', ...every])).toMatchObject({
    code: EXIT.usage,
    stderr: expect.stringMatching(/^wirestate: --except names every protocol: nothing left to serve; see --help\n$/),
  });
  expect(await wirestate(['serve-all', '--only'])).toMatchObject({
    code: EXIT.usage,
    stderr: 'wirestate: --only needs a value; see --help\n',
  });
  expect(await wirestate(['serve-all', '--only', 'upper', '--sum-port', '7001'])).toMatchObject({
    code: EXIT.usage,
    stderr: 'wirestate: --sum-port is for the sum server, which --only leaves out; see --help\n',
  });
  // Both checks name the flag that left the server out the same way: --sum-port's for --only, --resume-keep's for --except.
  expect(await wirestate(['serve-all', '--except', 'transfer', '--resume-keep', '5'])).toMatchObject({
    code: EXIT.usage,
    stderr: 'wirestate: --resume-keep is for the transfer server, which --except leaves out; see --help\n',
  });
  expect(await wirestate(['serve-all', '--resume-keep', '4294967296'])).toMatchObject({
    code: EXIT.usage,
    stderr:
      'wirestate: --resume-keep must be a whole number of seconds from 0 to 4294967295, not 4294967296; see --help\n',
  });
  expect(await wirestate(['serve-all', '--only', 'upper', '--port-offset', '60000'])).toMatchObject({
    code: EXIT.usage,
    stderr: 'wirestate: --port-offset 60000 takes the upper server to 72000, outside 0..65535; see --help\n',
  });
  expect(await wirestate(['serve-all', '--ardei-port', '65535'])).toMatchObject({
    code: EXIT.usage,
    stderr: expect.stringMatching(/--ardei-port must be 0\.\.65535 with room for its other servers \(up to 65537\)/),
  });
});

it('a port in use stops the start before any server or the inspector says it listens: exit 8, the one line', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as AddressInfo;
  // share comes after transfer, queue, upper, sum and blocks, which all listen first, each on a port the OS picks.
  const others = ['transfer', 'queue', 'upper', 'sum', 'blocks', 'ardei'].flatMap((name) => [`--${name}-port`, '0']);
  try {
    const result = await wirestate([
      'serve-all',
      '--host',
      '127.0.0.1',
      '--root',
      join(base, 'root'),
      ...others,
      '--share-port',
      String(port),
      '--inspect',
      '0',
    ]);
    expect(result.code).toBe(EXIT.cannotListen);
    expect(result.stdout).not.toMatch(/listening|inspector on/);
    expect(result.stdout).toMatch(
      new RegExp(`share: cannot listen on 127\\.0\\.0\\.1:${port} \\(TCP\\): the port is in use`),
    );
  } finally {
    taken.close();
  }
});

it('--max-size caps the uploads of both servers that store them: transfer refuses one over it, share drops it', async () => {
  const { all, listening, root } = await serveAll(
    ['--only', 'transfer', 'share', '--transfer-port', '0', '--share-port', '0', '--max-size', '100'],
    2,
    / serving /,
  );
  try {
    const port = (name: string) => String(listening.find(([server]) => server === name)![1]);
    const here = await mkdtemp(join(base, 'here-'));
    await writeFile(join(here, 'fits.txt'), 'x'.repeat(100));
    await writeFile(join(here, 'fits-too.txt'), 'y'.repeat(100));
    await writeFile(join(here, 'over.txt'), 'x'.repeat(101));
    const transfer = (file: string) =>
      wirestate(['client', '-q', '-s', `127.0.0.1:${port('transfer')}`, '-m', 'upload', '-l', file, '-v', file], here);
    const share = (file: string) => wirestate(['share', 'client', '127.0.0.1', port('share'), 'put', file], here);
    expect((await transfer('over.txt')).code).toBe(EXIT.refused);
    expect((await share('over.txt')).code).toBe(EXIT.serverError);
    expect(await readdir(root)).toEqual([]);
    expect((await transfer('fits.txt')).code).toBe(EXIT.ok);
    expect((await share('fits-too.txt')).code).toBe(EXIT.ok);
    expect((await readdir(root)).sort()).toEqual(['fits-too.txt', 'fits.txt']);
  } finally {
    all.child.kill('SIGTERM');
    await all.exited;
  }
});

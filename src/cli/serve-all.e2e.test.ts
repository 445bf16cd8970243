/** `serve-all --only/--except` runs a subset of the protocols, and `--NAME-port` moves one protocol's servers. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { startCliServer, wirestate } from '../test-support/processes';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-serve-all-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

/** Starts serve-all with `args` on loopback and returns the servers it started, by name, with their ports, once all listen. */
async function serveAll(args: string[], count: number) {
  const all = await startCliServer(['serve-all', '--host', '127.0.0.1', '--root', join(base, 'root'), ...args]);
  await all.logged(new RegExp(`(server listening on [^\\n]+\\n[^]*){${count}}`));
  await all.logged(/ serving /);
  const listening = [...all.output().matchAll(/(\S+) server listening on 127\.0\.0\.1:(\d+)/g)].map(
    (match) => [match[1], Number(match[2])] as const,
  );
  return { all, listening };
}

it('--only upper sum, each on a port the OS picks: those two servers only, and they answer', async () => {
  const { all, listening } = await serveAll(['--only', 'upper', 'sum', '--upper-port', '0', '--sum-port', '0'], 2);
  try {
    expect(listening.map(([name]) => name).sort()).toEqual(['sum', 'upper']);
    expect(all.output()).toMatch(/a sum client sending a number outside 1\.\.100 stops the sum server/);
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
  const { all, listening } = await serveAll(['--except', ...others, '--transfer-port', '0'], 1);
  try {
    expect(listening.map(([name]) => name)).toEqual(['transfer']);
    expect(all.output()).not.toMatch(/sum server/);
  } finally {
    all.child.kill('SIGTERM');
    await all.exited;
  }
});

it('--only and --except together, or a protocol that does not exist: one line, exit 2', async () => {
  expect(await wirestate(['serve-all', '--only', 'upper', '--except', 'sum'])).toMatchObject({
    code: EXIT.usage,
    stderr: expect.stringMatching(/^wirestate: Arguments only and except are mutually exclusive; see --help\n$/),
  });
  expect(await wirestate(['serve-all', '--only', 'nope'])).toMatchObject({
    code: EXIT.usage,
    stderr: expect.stringMatching(/^wirestate: Invalid values: .*nope.*; see --help\n$/),
  });
  const every = ['transfer', 'queue', 'upper', 'sum', 'blocks', 'share', 'ardei'];
  expect(await wirestate(['serve-all', '--except', ...every])).toMatchObject({
    code: EXIT.usage,
    stderr: expect.stringMatching(/^wirestate: --except names every protocol: nothing left to serve; see --help\n$/),
  });
  expect(await wirestate(['serve-all', '--ardei-port', '65535'])).toMatchObject({
    code: EXIT.usage,
    stderr: expect.stringMatching(/--ardei-port must be 0\.\.65535 with room for its other servers \(up to 65537\)/),
  });
});

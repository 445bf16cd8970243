/** A share put through the stammer proxy, stopped by the client's Ctrl-C or by the proxy's own stop: the server stores nothing. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EXIT } from '../engine/exit-codes';
import { CLI, startCliServer } from '../test-support/processes';
import { untilReceiving } from '../test-support/share-receiving';
import { stammerTo } from '../test-support/stammer';

describe('a share put stopped by Ctrl-C through the stammer proxy', () => {
  it("stores nothing, round after round: the client's reset reaches the server as a reset", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wirestate-proxy-'));
    const shared = join(dir, 'shared');
    await mkdir(shared);
    await writeFile(join(dir, 'big.bin'), '');
    await truncate(join(dir, 'big.bin'), 4 * 1024 ** 3);
    const server = await startCliServer(['share', 'server', '0', '--host', '127.0.0.1', '--root', shared]);
    // As `npm run proxy` relays by default: 1 to 1024 B every 0 to 2 ms, so it soon holds 64 KiB and stops reading.
    const proxy = await stammerTo(server.port, { maxFragment: 1024, maxDelayMs: 2, seed: 1 });
    const rounds = 6;
    for (let round = 1; round <= rounds; round++) {
      const child = spawn(
        process.execPath,
        [CLI, 'share', 'client', '127.0.0.1', String(proxy.address.port), 'put', 'big.bin'],
        { cwd: dir, stdio: 'ignore', timeout: 30_000 },
      );
      const exited = once(child, 'exit');
      await untilReceiving(shared);
      child.kill('SIGINT');
      expect((await exited)[0]).toBe(130);
      await server.logged(new RegExp(`(?:[^]*?\\b(?:interrupted|stored)\\b){${round}}`));
      expect(await readdir(shared)).toEqual([]);
    }
    expect(server.output()).not.toMatch(/\bstored\b/);
    await proxy.close();
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(dir, { recursive: true, force: true });
  });
});

describe('a share put in flight when the proxy process is stopped', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stores nothing (%s): the proxy resets both sides instead of ending them',
    async (signal) => {
      const dir = await mkdtemp(join(tmpdir(), 'wirestate-proxy-stop-'));
      const shared = join(dir, 'shared');
      await mkdir(shared);
      await writeFile(join(dir, 'big.bin'), '');
      await truncate(join(dir, 'big.bin'), 4 * 1024 ** 3);
      const server = await startCliServer(['share', 'server', '0', '--host', '127.0.0.1', '--root', shared]);
      const proxy = spawn(process.execPath, [CLI, 'proxy', '-l', '0', '-s', `127.0.0.1:${server.port}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let proxyLog = '';
      proxy.stdout.on('data', (chunk: Buffer) => (proxyLog += chunk.toString()));
      proxy.stderr.on('data', (chunk: Buffer) => (proxyLog += chunk.toString()));
      const proxyExited = once(proxy, 'exit');
      for (let tries = 0; tries < 400 && !/proxy on [\d.]+:\d+/.test(proxyLog); tries++) await delay(25);
      const proxyPort = /proxy on [\d.]+:(\d+)/.exec(proxyLog)![1];
      const client = spawn(process.execPath, [CLI, 'share', 'client', '127.0.0.1', proxyPort, 'put', 'big.bin'], {
        cwd: dir,
        stdio: 'ignore',
        timeout: 30_000,
      });
      const clientExited = once(client, 'exit');
      try {
        await untilReceiving(shared);
        proxy.kill(signal);
        expect((await proxyExited)[0]).toBe(0);
        expect((await clientExited)[0]).not.toBe(EXIT.ok);
        await server.logged(/\b(?:interrupted|stored)\b/);
        expect(server.output()).not.toMatch(/\bstored\b/);
        expect(await readdir(shared)).toEqual([]);
      } finally {
        client.kill('SIGKILL');
        proxy.kill('SIGKILL');
        server.child.kill('SIGTERM');
        await server.exited;
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

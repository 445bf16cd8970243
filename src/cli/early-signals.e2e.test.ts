/**
 * A signal while the CLI is still loading, before the command holds a handler of its own (early-signals.ts): a
 * line and exit 130, not death by the signal. Real client processes against a server that never answers.
 */
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI } from '../test-support/processes';
import { watchedClient } from '../test-support/watched-client';

let folder: string;
let server: Server | undefined;
const sockets: Socket[] = [];
beforeEach(async () => (folder = await mkdtemp(join(tmpdir(), 'early-signal-'))));
afterEach(async () => {
  sockets.forEach((socket) => socket.destroy());
  server?.close();
  await rm(folder, { recursive: true, force: true });
});

/** A server that takes each connection and never says a word. */
async function silentServer(): Promise<number> {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

it('a signal while the client is still loading ends it with a line and exit 130, not death by the signal', async () => {
  // A signal in Node's own start meets no code of ours (death by the signal); once the client holds its own handler
  // it says its own line. Between the two, while wirestate's modules load, it met none either (death by the signal,
  // no line, no exit code for a parent to see). The signal is sent ever later after a death, ever sooner after the
  // client's own line, until it has landed twice while the modules load. The server never answers: nothing ends.
  const port = await silentServer();
  const outcomes: string[] = [];
  let delayMs = 20;
  for (let tries = 0; tries < 40 && outcomes.filter((outcome) => outcome === 'loading').length < 2; tries++) {
    const json = tries % 2 === 1;
    const args = [CLI, 'client', '--plain', '-s', `127.0.0.1:${port}`, '-v', 'f', '-l', 'f'];
    const run = watchedClient(folder, json ? [...args, '--log-format', 'json', '--json'] : args);
    const { child, exited } = run;
    await sleep(delayMs);
    child.kill('SIGINT');
    const [code, signal] = await exited;
    const said = run.stderr().trimEnd().split('\n').pop() ?? '';
    if (signal === 'SIGINT' && run.stderr() === '') {
      outcomes.push('killed');
      delayMs += 20;
    } else if (code === 130 && said.includes('download interrupted (Ctrl-C)')) {
      outcomes.push('its own');
      delayMs = Math.max(10, delayMs - 10);
    } else {
      outcomes.push('loading');
      expect({ code, signal }).toEqual({ code: 130, signal: null });
      if (!json) expect(said).toBe('wirestate: interrupted (Ctrl-C) before it started');
      else {
        expect(JSON.parse(said)).toEqual({
          event: 'interrupted',
          exit_code: 130,
          level: 'error',
          message: 'interrupted (Ctrl-C) before it started',
          signal: 'SIGINT',
          timestamp: expect.any(String) as unknown,
        });
        // --json's object, as for a command line refused before any session.
        expect(JSON.parse(run.stdout())).toEqual({
          ok: false,
          outcome: 'not_started',
          code: 'client.signal',
          detail: 'interrupted (Ctrl-C) before it started',
          bytes: 0,
          duration_ms: expect.any(Number) as unknown,
          exit_code: 130,
        });
      }
    }
  }
  expect(outcomes.filter((outcome) => outcome === 'loading')).toHaveLength(2);
  expect(await readdir(folder)).toEqual([]);
});

/**
 * The client's progress bar on a real terminal (the line alone: progress-line.test.ts): the real client
 * (util-linux `script` makes the pty, `stty cols` its width) downloading and uploading through a slowing proxy.
 * What the terminal received is saved in test-artifacts/progress/ for reading.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import winston from 'winston';
import { startProxy, type RunningProxy } from '../proxy/stammer-proxy';
import { CLI, REPO, inTerminal, sha256, startCliServer, type ServerProcess } from '../test-support/processes';

const MiB = 1024 * 1024;

/** A server on a temp root behind a slowing proxy, and a client run on a terminal `columns` wide. */
interface SlowLink {
  base: string;
  server: ServerProcess;
  proxy: RunningProxy;
}

async function startSlowLink(prefix: string, maxDelayMs: number, seed: number): Promise<SlowLink> {
  const base = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(base, 'root'));
  const server = await startCliServer(['server', '-l', '0', '--host', '127.0.0.1', '--root', join(base, 'root')]);
  const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
  const proxy = await startProxy({
    host: '127.0.0.1',
    port: 0,
    upstream: { host: '127.0.0.1', port: server.port },
    maxFragment: 65536,
    maxDelayMs,
    seed,
    log: silent,
  });
  await mkdir(join(REPO, 'test-artifacts', 'progress'), { recursive: true });
  return { base, server, proxy };
}

async function stopSlowLink(link: SlowLink | undefined): Promise<void> {
  await link?.proxy.close();
  link?.server.child.kill('SIGTERM');
  await link?.server.exited;
  if (link) await rm(link.base, { recursive: true, force: true });
}

async function clientOnTerminal(columns: number, args: string[], onOutput?: (soFar: string) => void) {
  const client = [process.execPath, CLI, 'client', ...args];
  const shell = `stty cols ${columns} rows 24; exec ${client.map((word) => `'${word}'`).join(' ')}`;
  return inTerminal(['sh', '-c', shell], '', undefined, onOutput);
}

describe('the client on a terminal', () => {
  let link: SlowLink;
  let base: string;
  let proxy: RunningProxy;

  beforeAll(async () => {
    // Slows the download down to a second or so, so the bar is redrawn many times.
    link = await startSlowLink('wirestate-progress-', 8, 5);
    ({ base, proxy } = link);
    await writeFile(join(base, 'root', 'big.bin'), randomBytes(8 * MiB));
  });

  afterAll(() => stopSlowLink(link));

  it.each([30, 50, 120])('at %i columns: every redraw fits on one row, then one clean final line', async (columns) => {
    const target = join(base, `got-${columns}.bin`);
    const result = await clientOnTerminal(columns, [
      '-s',
      `127.0.0.1:${proxy.address.port}`,
      '-v',
      'big.bin',
      '-l',
      target,
    ]);
    await writeFile(join(REPO, 'test-artifacts', 'progress', `${columns}-columns.txt`), result.stdout);
    expect(result.code).toBe(0);
    expect(await sha256(target)).toBe(await sha256(join(base, 'root', 'big.bin')));

    // The terminal got: the start line, bar redraws (each ended by "erase to end of line"), the bar erased, the result.
    const [first, ...rest] = result.stdout.split('\n');
    expect(first).toBe(`download big.bin -> ${target} via 127.0.0.1:${proxy.address.port}`);
    expect(rest.at(-1)).toBe('');
    const frames = rest.join('\n').split('\x1b[K');
    const final = frames.pop();
    const drawn = frames.filter((frame) => frame !== '');
    expect(drawn.length).toBeGreaterThan(2);
    for (const frame of drawn) expect(frame.length).toBeLessThan(columns);
    expect(drawn.some((frame) => /\d+(\.\d+)? ?[KM](iB)?\/s/.test(frame))).toBe(true);
    // Before the size is known: the bytes so far and the current rate, at every width.
    const beforeSize = drawn.slice(
      0,
      drawn.findIndex((frame) => frame.includes('%')),
    );
    expect(beforeSize.length).toBeGreaterThan(0);
    for (const frame of beforeSize) expect(frame).toMatch(/^ *\d+(\.\d+)? ?[BKM]\S* .*\d ?[BKM]\S*\/s$/);
    expect(drawn.at(-1)).toMatch(/^100%/);
    expect(drawn.filter((frame) => frame.startsWith('100%'))).toHaveLength(1);
    expect(drawn.filter((frame) => frame.includes('%')).every((frame) => !frame.includes('0 B / 0 B'))).toBe(true);
    // Once the size is known, one layout from the first redraw to the last: a bar, the current rate and ETA, in place.
    const known = drawn.filter((frame) => frame.includes('%'));
    const layout = (frame: string) => [frame.length, frame.indexOf(']'), frame.indexOf('/s'), frame.indexOf('ETA')];
    for (const frame of known) expect(layout(frame)).toEqual(layout(known[0]));
    // Narrower, the bar goes first, then the ETA: percent, bytes and the current rate stay.
    const firstKnown = {
      30: /^ *\d+% +[\d.]+[BKM] \/ 8\.0M +[\d.]+[BKM]\/s$/,
      50: /^ *\d+% +[\d.]+[BKM] \/ 8\.0M +[\d.]+[BKM]\/s {2}ETA /,
      120: /^ *\d+% \[#*-*\] .*B\/s {2}ETA /,
    }[columns];
    expect(known[0]).toMatch(firstKnown!);
    // The bar is erased before the final line, which stands alone on its row.
    expect(frames.at(-1)).toBe('');
    expect(final).toMatch(/^downloaded 8\.00 MiB in [\d.]+ s \([\d.]+ MiB\/s\)\n$/);
  });
});

describe('an upload on a terminal, over a slow link', () => {
  const SIZE = 3 * MiB;
  let link: SlowLink;
  let base: string;
  let proxy: RunningProxy;

  beforeAll(async () => {
    // About 1 MiB/s: the client's kernel takes the whole file within a fraction of a second, then it drains for
    // seconds. A bar counting the bytes handed to the socket shows 0% and then 100% while nearly all is still to go.
    link = await startSlowLink('wirestate-upload-progress-', 60, 7);
    ({ base, proxy } = link);
    await writeFile(join(base, 'up.bin'), randomBytes(SIZE));
  });

  afterAll(() => stopSlowLink(link));

  // One width: the layouts at each width are the download's to show (above); what is the upload's own is the steps.
  it.each([120])(
    'at %i columns: the bar follows the bytes the peer took, then one clean final line',
    async (columns) => {
      const name = `up-${columns}.bin`;
      const result = await clientOnTerminal(columns, [
        '-m',
        'upload',
        '-s',
        `127.0.0.1:${proxy.address.port}`,
        '-l',
        join(base, 'up.bin'),
        '-v',
        name,
      ]);
      await writeFile(join(REPO, 'test-artifacts', 'progress', `upload-${columns}-columns.txt`), result.stdout);
      expect(result.code).toBe(0);
      expect(await sha256(join(base, 'root', name))).toBe(await sha256(join(base, 'up.bin')));

      const [first, ...rest] = result.stdout.split('\n');
      expect(first).toBe(`upload ${join(base, 'up.bin')} -> ${name} via 127.0.0.1:${proxy.address.port}`);
      const frames = rest.join('\n').split('\x1b[K');
      const final = frames.pop();
      const percents = frames
        .filter((frame) => frame !== '')
        .map((frame) => /^ *(\d+)%/.exec(frame)?.[1])
        .filter((percent) => percent !== undefined)
        .map(Number);
      for (const frame of frames) expect(frame.length).toBeLessThan(columns);
      // Steps between 0% and 100%, never backwards: not 0% and then 100% at once. (Two at least, not more: a client
      // starved of CPU on a loaded machine redraws late, and then the bytes taken meanwhile show as one step.)
      expect(new Set(percents.filter((percent) => percent > 0 && percent < 100)).size).toBeGreaterThan(1);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(frames.at(-1)).toBe('');
      expect(final).toMatch(/^uploaded 3\.00 MiB in [\d.]+ s \([\d.]+ (KiB|MiB)\/s\)\n$/);
    },
  );
});

/**
 * A relay the test holds: it reads the client at about 1 MiB/s until `stall()` says to stop, then not at all until
 * `releaseReading`; it holds the server's bytes that come after `confirmAt` went up (its confirmation) until
 * `releaseConfirmation`.
 */
async function heldRelay(upstreamPort: number, stall: () => boolean, confirmAt: number) {
  let up = 0;
  let client!: Socket;
  const held: Buffer[] = [];
  const released = { reading: false, confirmation: false };
  let server!: Socket;
  const relay = createServer({ allowHalfOpen: true }, (socket) => {
    client = socket;
    server = connect({ port: upstreamPort, host: '127.0.0.1', allowHalfOpen: true });
    client.on('data', (chunk: Buffer) => {
      up += chunk.length;
      server.write(chunk);
      if (released.reading) return;
      client.pause();
      setTimeout(() => {
        if (released.reading || !stall()) client.resume();
      }, 50);
    });
    client.on('end', () => server.end());
    server.on('data', (chunk: Buffer) => {
      if (up >= confirmAt && !released.confirmation) held.push(chunk);
      else client.write(chunk);
    });
    server.on('end', () => (released.confirmation ? client.end() : held.push(Buffer.alloc(0))));
    for (const socket of [client, server]) socket.on('error', () => undefined);
  });
  await once(relay.listen(0, '127.0.0.1'), 'listening');
  return {
    port: (relay.address() as AddressInfo).port,
    releaseReading: () => {
      released.reading = true;
      client.resume();
    },
    releaseConfirmation: () => {
      released.confirmation = true;
      for (const chunk of held.splice(0)) if (chunk.length > 0) client.write(chunk);
      if (server.readableEnded) client.end();
    },
    close: () => relay.close(),
  };
}

describe('an upload on a terminal that stalls, then waits for the server', () => {
  const SIZE = 3 * MiB;
  let link: SlowLink;

  beforeAll(async () => {
    link = await startSlowLink('wirestate-upload-stall-', 0, 3);
    await writeFile(join(link.base, 'up.bin'), randomBytes(SIZE));
  });

  afterAll(() => stopSlowLink(link));

  // One width, narrower than the never-read upload's below (100): both show the stalled rate and ETA.
  it.each([50])(
    'at %i columns: the rate falls to 0 and the ETA to ? while nothing moves; at 100%% it says it waits',
    async (columns) => {
      const frames = (soFar: string) => soFar.split('\x1b[K').map((frame) => frame.replace(/^[^]*\r/, ''));
      let moving = false;
      let stalled = false;
      // Stalls once the bar has moved (the client's count of what left reaches the bar a few polls in).
      const relay = await heldRelay(link.server.port, () => moving, SIZE);
      let finished = false;
      const result = clientOnTerminal(
        columns,
        ['-m', 'upload', '-s', `127.0.0.1:${relay.port}`, '-l', join(link.base, 'up.bin'), '-v', `up-${columns}.bin`],
        (soFar) => {
          moving ||= frames(soFar).some((frame) => /^ *[1-9]\d?% /.test(frame));
          stalled ||= frames(soFar).some((frame) => /^ *[1-9]\d?% .*\b0 ?B\/s +ETA \?/.test(frame));
          finished ||= frames(soFar).some((frame) => frame.startsWith('100%'));
        },
      );
      // Bounded: a bar that never shows the stall (or never reaches 100%) is released after 20 s, and then fails.
      for (let tries = 0; tries < 200 && !stalled; tries++) await delay(100);
      relay.releaseReading();
      for (let tries = 0; tries < 200 && !finished; tries++) await delay(100);
      relay.releaseConfirmation();
      const { code, stdout } = await result;
      relay.close();
      await writeFile(join(REPO, 'test-artifacts', 'progress', `upload-stall-${columns}-columns.txt`), stdout);
      expect(code).toBe(0);
      const drawn = frames(stdout).filter((frame) => /^ *\d+%/.test(frame));
      for (const frame of drawn) expect(frame.length).toBeLessThan(columns);
      // Seen while the relay held the bytes, not only after: a bar that is not redrawn while nothing moves fails here.
      expect(stalled).toBe(true);
      const done = drawn.filter((frame) => frame.startsWith('100%'));
      expect(done.length).toBeGreaterThan(0);
      for (const frame of done) expect(frame).toMatch(/waiting for the server's confirmation/);
      expect(drawn.some((frame) => frame.includes('ETA 0s'))).toBe(false);
      expect(await sha256(join(link.base, 'root', `up-${columns}.bin`))).toBe(await sha256(join(link.base, 'up.bin')));
    },
  );
});

describe('an upload on a terminal whose peer never reads, from its first byte', () => {
  const SIZE = 8 * MiB;
  let base: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'wirestate-upload-unread-'));
    await writeFile(join(base, 'up.bin'), randomBytes(SIZE));
  });

  afterAll(() => rm(base, { recursive: true, force: true }));

  it('shows 0%, 0 B/s and ETA ? at once and redraws it while nothing moves, also after the hello gives up', async () => {
    // Takes the connection and never reads it: nothing answers the hello, and no byte of the file is ever taken.
    const taken: Socket[] = [];
    const sink = createServer({ pauseOnConnect: true }, (socket) => taken.push(socket.on('error', () => undefined)));
    await once(sink.listen(0, '127.0.0.1'), 'listening');
    const { port } = sink.address() as AddressInfo;
    const fallBack = 'no reply to hello';
    const frames = (soFar: string) => soFar.split('\x1b[K').map((frame) => frame.replace(/^[^]*\r/, ''));
    const stalled = (frame: string) => /^ {2}0% .* 0 B\/s {2}ETA \? *$/.test(frame);
    const stalledAfterFallBack = (soFar: string) => frames(soFar.slice(soFar.indexOf(fallBack))).filter(stalled);
    let seen = false;
    const result = clientOnTerminal(
      100,
      ['-m', 'upload', '-s', `127.0.0.1:${port}`, '--hello-wait', '2', '-l', join(base, 'up.bin'), '-v', 'up.bin'],
      (soFar) => (seen ||= soFar.includes(fallBack) && stalledAfterFallBack(soFar).length > 2),
    );
    // Bounded: a bar that is not redrawn is given 4 s after the hello's wait, then the sink resets the connection.
    for (let tries = 0; tries < 60 && !seen; tries++) await delay(100);
    for (const socket of taken) socket.resetAndDestroy();
    sink.close();
    const { stdout } = await result;
    await writeFile(join(REPO, 'test-artifacts', 'progress', 'upload-never-read.txt'), stdout);
    const [beforeFallBack, afterFallBack] = stdout.split(fallBack);
    expect(afterFallBack).toBeDefined();
    // Before the hello gives up (2 s: four stall redraws, more than one even on a loaded machine) and after it, the bar stands at 0% with no rate and no ETA, redrawn in place.
    expect(frames(beforeFallBack).filter(stalled).length).toBeGreaterThan(1);
    expect(frames(afterFallBack).filter(stalled).length).toBeGreaterThan(1);
    expect(
      frames(stdout)
        .filter((frame) => /^ *\d+% /.test(frame))
        .every(stalled),
    ).toBe(true);
  });
});

/**
 * The client's progress bar: the line itself at every width, and the real client on a real terminal
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
import { Progress, progressLine } from './progress';

const MiB = 1024 * 1024;

describe('progressLine', () => {
  it('never reaches the last column, at any width, size known or not', () => {
    for (let columns = 1; columns <= 200; columns++) {
      for (const total of [undefined, 16 * MiB]) {
        expect(progressLine({ bytes: 5 * MiB, total, rate: 3 * MiB, columns }).length).toBeLessThan(
          Math.max(columns, 2),
        );
      }
    }
  });

  it('keeps one layout per width while the figures change: same length, bar and fields in the same columns', () => {
    const layout = (line: string) =>
      [line.length, line.indexOf('['), line.indexOf(']'), line.indexOf('ETA'), line.indexOf('/s')].join();
    const rates = [0, 1, 999, 1023.6, 2 * MiB, 1023.96 * 1024, 700 * MiB, 1 / 3600 / 200];
    for (let columns = 1; columns <= 200; columns++) {
      for (const total of [undefined, 1000, 16 * MiB, 5000 * MiB]) {
        const end = total ?? 20 * MiB;
        const layouts = new Set<string>();
        for (const bytes of [0, 1, 999, 1024, Math.floor(end / 3), end - 1, end]) {
          for (const rate of rates) layouts.add(layout(progressLine({ bytes, total, rate, columns })));
        }
        expect([columns, total, [...layouts]]).toEqual([columns, total, [...layouts].slice(0, 1)]);
      }
    }
  });

  it('shows a known size with a bar, percent, bytes, current rate and ETA when wide', () => {
    expect(progressLine({ bytes: 4 * MiB, total: 16 * MiB, rate: 2 * MiB, columns: 100 })).toMatch(
      /^ 25% \[#+-+\] {4}4\.00 MiB \/ 16\.0 MiB {4}2\.00 MiB\/s {2}ETA 6s {4}$/,
    );
  });

  it.each([
    // The bar shrinks, then goes; numbers are written short where that keeps the bytes and the ETA.
    [200, /^ 25% \[#{35}-{106}\] {4}4\.00 MiB \/ 16\.0 MiB {4}2\.00 MiB\/s {2}ETA 6s {4}$/],
    [80, /^ 25% \[#{5}-{16}\] {4}4\.00 MiB \/ 16\.0 MiB {4}2\.00 MiB\/s {2}ETA 6s {4}$/],
    [50, /^ 25% {3}4\.0M \/ 16M {3}2\.0M\/s {2}ETA 6s {4}$/],
    [30, /^ 25% {3}4\.0M \/ 16M {3}2\.0M\/s$/],
    [20, /^ 25% {4}2\.00 MiB\/s$/],
  ])(
    'keeps percent and the current rate at %i columns, dropping the bar, then the ETA, then the bytes',
    (columns, line) => {
      expect(progressLine({ bytes: 4 * MiB, total: 16 * MiB, rate: 2 * MiB, columns })).toMatch(line);
    },
  );

  it.each([
    [200, /^ {2}5\.00 MiB {2}\(size not known yet\) {4}3\.00 MiB\/s$/],
    [80, /^ {2}5\.00 MiB {2}\(size not known yet\) {4}3\.00 MiB\/s$/],
    [30, /^ {2}5\.00 MiB {4}3\.00 MiB\/s$/],
    [20, /^ 5\.0M {3}3\.0M\/s$/],
  ])('shows the bytes so far and the current rate before the size is known, at %i columns', (columns, line) => {
    expect(progressLine({ bytes: 5 * MiB, total: undefined, rate: 3 * MiB, columns })).toMatch(line);
  });

  it('shows the percent or the bytes so far and the current rate at every width from 20 columns', () => {
    for (let columns = 20; columns <= 200; columns++) {
      expect(progressLine({ bytes: 5 * MiB, total: 50 * MiB, rate: 3 * MiB, columns })).toMatch(/^ 10% .*\b3\.0/);
      expect(progressLine({ bytes: 5 * MiB, total: undefined, rate: 3 * MiB, columns })).toMatch(/^ *5\.0.*\b3\.0/);
    }
  });

  it('keeps percent first when narrower still', () => {
    expect(progressLine({ bytes: 4 * MiB, total: 16 * MiB, rate: 2 * MiB, columns: 17 })).toBe(' 25%   2.0M/s');
    expect(progressLine({ bytes: 4 * MiB, total: 16 * MiB, rate: 0, columns: 10 })).toBe(' 25%');
  });

  it("says what it waits for once every byte is through, instead of a rate and 'ETA 0s', at every width", () => {
    const awaiting = "waiting for the server's confirmation";
    const line = (columns: number) => progressLine({ bytes: MiB, total: MiB, rate: 0, columns, awaiting });
    expect(line(50)).toBe(`100%  ${awaiting}`);
    expect(line(100)).toBe(`100% [${'#'.repeat(28)}]    1.00 MiB / 1.00 MiB  ${awaiting}`);
    for (let columns = 1; columns <= 200; columns++) {
      expect(line(columns).length).toBeLessThan(Math.max(columns, 2));
      expect(line(columns)).not.toMatch(/ETA|\/s/);
    }
    // Before the last byte, the rate and ETA as ever.
    expect(progressLine({ bytes: MiB - 1, total: MiB, rate: 1, columns: 100, awaiting })).toMatch(/B\/s {2}ETA /);
  });

  it('says an unknown size is unknown: no percent, no bar, no "0 B / 0 B"', () => {
    const line = progressLine({ bytes: 0, total: undefined, rate: 0, columns: 120 });
    expect(line).toBe('       0 B  (size not known yet)         0 B/s');
  });
});

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

describe('Progress', () => {
  /** What a terminal 120 columns wide would be sent: the figures only, no real terminal needed for them. */
  const terminal = () => {
    const written: string[] = [];
    const out = { isTTY: true, columns: 120, write: (text: string) => written.push(text) > 0 };
    return { out: out as unknown as NodeJS.WriteStream, written };
  };

  it('counts the bytes a resumed transfer kept in its figures, never in its rate', async () => {
    const { out, written } = terminal();
    const progress = new Progress(out, false);
    progress.update(0, 100 * MiB);
    progress.resumedAt(50 * MiB);
    await delay(300);
    progress.update(50 * MiB + 100 * 1024, 100 * MiB);
    // 100 KiB in 0.3 s or more: some hundreds of KiB/s at most, not the 50 MiB kept over that time.
    const last = written.at(-1)!;
    expect(last).toMatch(/ 50% .* 50\.1 MiB \/ 100\.0 MiB +\d+(\.\d+)? KiB\/s /);
    progress.clear();
  });
});

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
    // About 1.5 MiB/s: the client's kernel takes the whole file within a fraction of a second, then it drains for
    // seconds. A bar counting the bytes handed to the socket shows 0% and then 100% while nearly all is still to go.
    link = await startSlowLink('wirestate-upload-progress-', 40, 7);
    ({ base, proxy } = link);
    await writeFile(join(base, 'up.bin'), randomBytes(SIZE));
  });

  afterAll(() => stopSlowLink(link));

  it.each([50, 120])(
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
      // Several steps between 0% and 100%, never backwards: not 0% and then 100% at once.
      expect(new Set(percents.filter((percent) => percent > 0 && percent < 100)).size).toBeGreaterThan(2);
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

  it.each([50, 100])(
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
      ['-m', 'upload', '-s', `127.0.0.1:${port}`, '--hello-wait', '1', '-l', join(base, 'up.bin'), '-v', 'up.bin'],
      (soFar) => (seen ||= soFar.includes(fallBack) && stalledAfterFallBack(soFar).length > 2),
    );
    // Bounded: a bar that is not redrawn is given 4 s after the hello's wait, then the sink resets the connection.
    for (let tries = 0; tries < 50 && !seen; tries++) await delay(100);
    for (const socket of taken) socket.resetAndDestroy();
    sink.close();
    const { stdout } = await result;
    await writeFile(join(REPO, 'test-artifacts', 'progress', 'upload-never-read.txt'), stdout);
    const [beforeFallBack, afterFallBack] = stdout.split(fallBack);
    expect(afterFallBack).toBeDefined();
    // Before the hello gives up (1 s) and after it, the bar stands at 0% with no rate and no ETA, redrawn in place.
    expect(frames(beforeFallBack).filter(stalled).length).toBeGreaterThan(1);
    expect(frames(afterFallBack).filter(stalled).length).toBeGreaterThan(1);
    expect(
      frames(stdout)
        .filter((frame) => /^ *\d+% /.test(frame))
        .every(stalled),
    ).toBe(true);
  });
});

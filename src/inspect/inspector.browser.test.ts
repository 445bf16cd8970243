/// <reference lib="dom" />
/**
 * The inspector page in a real browser (Debian's chromium through
 * playwright-core, headless, offline) at 1400 x 900: a live transfer on
 * loopback shows up and its highlighted state moves through the machine's
 * states; the chart fits its panel; a refusal and an error read differently;
 * connections are there on first paint; a recorded trace can be opened and
 * stepped through. Screenshots land in test-artifacts/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import winston from 'winston';
import { startProxy, type RunningProxy } from '../proxy/stammer-proxy';
import { parseTrace } from '../trace/trace-format';
import { CLI, REPO, run, startCliServer, wirestate } from '../test-support/processes';
import { PROTOCOLS } from '../../machines/protocols';

const ARTIFACTS = join(REPO, 'test-artifacts', 'inspector');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DOWNLOAD_PATH = [
  'client_connect',
  'check_download',
  'send_check_download',
  'check_download_confirmation',
  'downloading.sending',
  'download_complete',
];

let base: string;
let server: ChildProcess;
let inspectorUrl: string;
let serverPort: number;
let proxy: RunningProxy;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  base = await mkdtemp(join(tmpdir(), 'wirestate-inspector-'));
  await mkdir(join(base, 'root'));
  await writeFile(join(base, 'root', 'big.bin'), randomBytes(16 * 1024 * 1024));
  server = spawn(
    process.execPath,
    [CLI, 'server', '-l', '0', '--host', '127.0.0.1', '--root', join(base, 'root'), '--inspect', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const started = await new Promise<string>((resolve, reject) => {
    let seen = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/listening on [\d.]+:\d+/.test(seen) && seen.includes('inspector on http')) resolve(seen);
    });
    server.once('exit', (code) => reject(new Error(`server exited ${String(code)}: ${seen}`)));
  });
  inspectorUrl = /inspector on (http:\/\/\S+)/.exec(started)![1];
  serverPort = Number(/listening on [\d.]+:(\d+)/.exec(started)![1]);
  const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
  // Slows the transfer down enough that the page sees it in flight.
  proxy = await startProxy({
    host: '127.0.0.1',
    port: 0,
    upstream: { host: '127.0.0.1', port: serverPort },
    maxFragment: 65536,
    maxDelayMs: 3,
    seed: 3,
    log: silent,
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Well inside the test's own timeout, so that a wait that fails says what the page showed.
  page.setDefaultTimeout(20_000);
});

/** Runs `wait`; if it fails, the error carries what the page showed. */
async function explained<T>(wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    const shown = await page.evaluate(() => document.body.innerText).catch(() => '(page unreadable)');
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- the page showed ---\n${shown.slice(0, 3000)}`,
    );
  }
}

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  server?.kill('SIGTERM');
  await rm(base, { recursive: true, force: true });
});

it('shows a live transfer: the connection, its highlighted state moving through the machine, the path and outcome', async () => {
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  await page.goto(inspectorUrl);
  await page.waitForSelector('#status:text("live")');
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { highlighted: string[] }).highlighted = seen;
    new MutationObserver(() => {
      // A parent state is highlighted with its child: record the deepest.
      const active = Array.from(document.querySelectorAll('#chart .node.active')).map(
        (node) => node.getAttribute('data-state') ?? '',
      );
      const state = active.sort((a, b) => b.length - a.length)[0];
      if (state && seen[seen.length - 1] !== state) seen.push(state);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  });

  // --plain: the seed's path, each state once (a hello would add `hello` and a second `client_connect`).
  const transfer = wirestate([
    'client',
    '-q',
    '--plain',
    '-s',
    `127.0.0.1:${proxy.address.port}`,
    '-v',
    'big.bin',
    '-l',
    join(base, 'got.bin'),
  ]);
  await page.waitForSelector('#chart .node.active[data-state="downloading.sending"]', { timeout: 20_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'live-downloading.png'), fullPage: true });
  expect((await transfer).code).toBe(0);
  await page.waitForSelector('#chart .node.active[data-state="download_complete"]');
  await page.screenshot({ path: join(ARTIFACTS, 'live-complete.png'), fullPage: true });

  const highlighted = await page.evaluate(() => (window as unknown as { highlighted: string[] }).highlighted);
  expect(highlighted).toContain('downloading.sending');
  expect(highlighted[highlighted.length - 1]).toBe('download_complete');
  expect(highlighted.filter((state) => !DOWNLOAD_PATH.includes(state))).toEqual([]);
  expect(highlighted.map((state) => DOWNLOAD_PATH.indexOf(state))).toEqual(
    [...highlighted.map((state) => DOWNLOAD_PATH.indexOf(state))].sort((a, b) => a - b),
  );
  expect(await page.textContent('#path')).toBe(DOWNLOAD_PATH.join(' \u2192 '));
  const row = await page.$$eval('#connections tbody tr:first-child td', (cells) =>
    cells.map((cell) => cell.textContent),
  );
  expect(row).toEqual([
    'c1',
    expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    'transfer',
    'download "big.bin"',
    '16.0 MiB / 16.0 MiB',
    'download_complete',
    'downloaded',
  ]);
  expect(await page.$$eval('#log li', (items) => items.map((item) => item.lastChild?.textContent))).toEqual(
    expect.arrayContaining([
      'frame.request op=D name="big.bin"',
      expect.stringMatching(/^check_download done kind=found size=16777216 mtimeMs=[\d.]+$/),
      'frame.confirm status=T',
    ]),
  );
  expect(
    await page.$$eval('#log li', (items) =>
      items.some((item) => /frame\.data|file\.chunk/.test(item.textContent ?? '')),
    ),
  ).toBe(false);
  expect(failures).toEqual([]);
});

it('fits the transfer chart in its panel at 1400 x 900, every state visible, zoom and pan on it; edges carry their guards', async () => {
  await page.goto(inspectorUrl);
  await page.click('#connections tbody tr:first-child');
  await page.waitForSelector('#chart svg');
  const fit = await page.evaluate(() => {
    const panel = document.querySelector('#chart')!.getBoundingClientRect();
    const nodes = Array.from(document.querySelectorAll('#chart .node'), (node) => ({
      state: node.getAttribute('data-state'),
      box: node.getBoundingClientRect(),
    }));
    const outside = nodes.filter(
      ({ box }) =>
        box.left < panel.left - 1 ||
        box.right > panel.right + 1 ||
        box.top < panel.top - 1 ||
        box.bottom > panel.bottom + 1,
    );
    return {
      panel: { right: panel.right, bottom: panel.bottom, height: panel.height },
      states: nodes.map((node) => node.state),
      outside: outside.map((node) => node.state),
    };
  });
  expect(fit.states).toEqual(
    expect.arrayContaining([
      'client_connect',
      'check_download',
      'check_upload',
      'uploading.receiving',
      'download_complete',
      'upload_complete',
      'failed',
    ]),
  );
  expect(fit.outside).toEqual([]);
  expect(fit.panel.right).toBeLessThanOrEqual(1400);
  expect(fit.panel.bottom).toBeLessThanOrEqual(900);
  expect(fit.panel.height).toBeGreaterThan(300);

  const label = (edge: string) =>
    page.$eval(`#chart [data-edge="${edge}"]`, (group) =>
      Array.from(group.querySelectorAll('text'), (text) => text.textContent).join(' '),
    );
  expect(await label('client_connect->check_download')).toBe('frame.request [opIs expected=D]');
  expect(await label('client_connect->check_upload')).toBe('frame.request [opIs expected=U]');

  const viewBox = () => page.getAttribute('#chart svg', 'viewBox');
  const whole = await viewBox();
  const box = (await page.locator('#chart svg').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  const zoomed = (await viewBox())!.split(' ').map(Number);
  expect(zoomed[2]).toBeLessThan(Number(whole!.split(' ')[2]));
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 100, box.y + box.height / 2 + 50);
  await page.mouse.up();
  const panned = (await viewBox())!.split(' ').map(Number);
  expect(panned[0]).toBeLessThan(zoomed[0]);
  expect(panned[1]).toBeLessThan(zoomed[1]);
  await page.dblclick('#chart svg');
  expect(await viewBox()).toBe(whole);
});

it('tells a refused download (N) from one answered E or that failed on the server', async () => {
  // E: a name outside the served folder, which the client sends as given.
  expect(
    (
      await wirestate([
        'client',
        '-q',
        '-s',
        `127.0.0.1:${serverPort}`,
        '-v',
        '../outside.bin',
        '-l',
        join(base, 'outside.bin'),
      ])
    ).code,
  ).toBe(4);
  expect(
    (
      await wirestate([
        'client',
        '-q',
        '-s',
        `127.0.0.1:${serverPort}`,
        '-v',
        'missing.bin',
        '-l',
        join(base, 'missing.bin'),
      ])
    ).code,
  ).toBe(3);
  await writeFile(join(base, 'root', 'shrinks.bin'), randomBytes(16 * 1024 * 1024));
  await page.goto(inspectorUrl);
  const failing = wirestate([
    'client',
    '-q',
    '-s',
    `127.0.0.1:${proxy.address.port}`,
    '-v',
    'shrinks.bin',
    '-l',
    join(base, 'shrinks.bin'),
  ]);
  const row = (request: string) => `#connections tbody tr:has(td:text-is('download "${request}"'))`;
  await explained(page.waitForSelector(`${row('shrinks.bin')} td:text-is("downloading.sending")`));
  // The file is cut short while the server is sending it.
  await truncate(join(base, 'root', 'shrinks.bin'), 1024);
  expect((await failing).code).not.toBe(0);
  await explained(page.waitForSelector(`${row('shrinks.bin')} td.outcome:not(:empty)`));
  const outcome = (request: string) =>
    page.$eval(`${row(request)} td.outcome`, (cell) => ({
      text: cell.textContent ?? '',
      kind: cell.getAttribute('class'),
      color: getComputedStyle(cell).color,
    }));
  const refused = await outcome('missing.bin');
  const answeredE = await outcome('../outside.bin');
  const failed = await outcome('shrinks.bin');
  expect(refused).toEqual({ text: 'refused: missing', kind: 'outcome declined', color: expect.any(String) });
  expect(answeredE).toEqual({ text: 'protocol_error: name.escapes', kind: 'outcome error', color: failed.color });
  expect(failed.kind).toBe('outcome error');
  expect(failed.text).toMatch(/^server_error/);
  expect(failed.color).not.toBe(refused.color);
  await page.screenshot({ path: join(ARTIFACTS, 'refused-and-failed.png') });
});

it('shows the connections so far on first paint, and the table fits 800 px', async () => {
  expect(
    (await wirestate(['client', '-q', '-s', `127.0.0.1:${serverPort}`, '-v', 'big.bin', '-l', join(base, 'again.bin')]))
      .code,
  ).toBe(0);
  const fresh = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    // What the page holds the moment its HTML is parsed, before any stream message or timer.
    await fresh.addInitScript(() =>
      document.addEventListener('DOMContentLoaded', () => {
        (window as unknown as { parsed: unknown }).parsed = {
          rows: document.querySelectorAll('#connections tbody tr').length,
          nodes: document.querySelectorAll('#chart .node').length,
          empty: !document.querySelector<HTMLElement>('#empty')!.hidden,
        };
      }),
    );
    await fresh.goto(inspectorUrl);
    const parsed = await fresh.evaluate(
      () => (window as unknown as { parsed: { rows: number; nodes: number; empty: boolean } }).parsed,
    );
    expect(parsed.rows).toBeGreaterThanOrEqual(1);
    expect(parsed.nodes).toBeGreaterThan(5);
    expect(parsed.empty).toBe(false);

    await fresh.setViewportSize({ width: 800, height: 900 });
    const widths = await fresh.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      table: document.querySelector('#connections')!.getBoundingClientRect().right,
    }));
    expect(widths.page).toBeLessThanOrEqual(800);
    expect(widths.table).toBeLessThanOrEqual(800);
    await fresh.screenshot({ path: join(ARTIFACTS, 'narrow-800.png'), fullPage: true });
  } finally {
    await fresh.close();
  }
});

it('opens a recorded trace and steps through it, the diagram following', async () => {
  const file = join(REPO, 'fixtures', 'traces', 'transfer', 'upload-ok.server.jsonl');
  const trace = parseTrace(await readFile(file, 'utf8'));
  const stateAt = (step: number) =>
    [...trace.entries.slice(0, step + 1)].reverse().find((entry) => 'state' in entry) as { state: string };

  await page.goto(inspectorUrl);
  await page.setInputFiles('#trace-file', file);
  await page.waitForSelector('#trace-controls:not([hidden])');
  expect(await page.getAttribute('#trace-slider', 'max')).toBe(String(trace.entries.length - 1));
  // It opens at the first step.
  expect(await page.textContent('#trace-position')).toMatch(/^step 1 of /);
  expect(await page.textContent('#current-state')).toBe('client_connect');
  expect(await page.$$eval('#log li', (items) => items.length)).toBe(1);

  const setStep = (step: number) =>
    page.$eval(
      '#trace-slider',
      (slider, value) => {
        (slider as HTMLInputElement).value = String(value);
        slider.dispatchEvent(new Event('input'));
      },
      step,
    );
  for (const step of [0, 3, 8, trace.entries.length - 1]) {
    await setStep(step);
    expect(await page.textContent('#current-state')).toBe(stateAt(step).state);
    const active = await page.$$eval('#chart .node.active', (nodes) =>
      nodes.map((node) => node.getAttribute('data-state')),
    );
    expect(active).toContain(stateAt(step).state);
  }
  await setStep(5);
  await page.click('#trace-next');
  expect(await page.textContent('#current-state')).toBe(stateAt(6).state);
  await page.click('#trace-previous');
  await page.click('#trace-previous');
  expect(await page.textContent('#current-state')).toBe(stateAt(4).state);

  // At the last step: every entry listed, numbered 1..n in full, frames read as `wirestate replay` reads them.
  await setStep(trace.entries.length - 1);
  const replay = (await wirestate(['replay', file])).stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
  const items = await page.$$eval('#log li', (lis) =>
    lis.map((li) => ({ number: li.querySelector('.number')?.textContent, text: li.lastChild?.textContent })),
  );
  expect(items.length).toBeGreaterThan(9);
  expect(items).toEqual(replay.map((text, index) => ({ number: String(index + 1), text })));
  expect(items.map((item) => item.text)).toEqual(
    expect.arrayContaining([expect.stringMatching(/REQUEST U "new\.txt"$/), expect.stringMatching(/UPLOAD_REPLY T$/)]),
  );
  // Each number is drawn whole, inside the list's box.
  const clipped = await page.$$eval(
    '#log li .number',
    (numbers) =>
      numbers.filter(
        (number) =>
          number.scrollWidth > number.clientWidth ||
          number.getBoundingClientRect().left < number.closest('#side')!.getBoundingClientRect().left,
      ).length,
  );
  expect(clipped).toBe(0);
  await page.screenshot({ path: join(ARTIFACTS, 'trace-stepping.png'), fullPage: true });
});

it("names a wirestate client's extension frames in the live log: hello, lowercase request, size, digest", async () => {
  await page.goto(inspectorUrl);
  await page.waitForSelector('#status:text("live")');
  const file = randomBytes(1000);
  await writeFile(join(base, 'ext-up.bin'), file);
  // No --plain: the client says hello, and the upload goes in the extension grammar with its SHA-256.
  const upload = await wirestate([
    'client',
    '-q',
    '-m',
    'upload',
    '-s',
    `127.0.0.1:${serverPort}`,
    '-l',
    join(base, 'ext-up.bin'),
    '-v',
    'ext-up.bin',
  ]);
  expect(upload.code).toBe(0);
  const row = `#connections tbody tr:has(td:text-is('upload "ext-up.bin"'))`;
  await explained(page.waitForSelector(`${row} td.outcome:not(:empty)`));
  await page.click(row);
  await explained(page.waitForSelector('#log li:has-text("frame.digest")'));
  expect(await page.$$eval('#log li', (items) => items.map((item) => item.lastChild?.textContent))).toEqual(
    expect.arrayContaining([
      'frame.hello version=1 capabilities=3',
      'frame.request op=U name="ext-up.bin" extended=true',
      'frame.upload_size size=1000',
      `frame.digest sha256=${createHash('sha256').update(file).digest('hex')}`,
    ]),
  );
});

it('shows the connections of another protocol with its own machine: a queue send and receive', async () => {
  const queue = await startCliServer(['queue', 'server', '0', 'TCP', '--host', '127.0.0.1', '--inspect', '0']);
  try {
    const url = /inspector on (http:\/\/\S+)/.exec(queue.output())![1];
    await page.goto(url);
    await page.waitForSelector('#status:text("live")');
    // The client sends the file's text plus a newline, as the seed's client does.
    await writeFile(join(base, 'message.txt'), 'seen in the inspector');
    expect(
      (await wirestate(['queue', 'client', '127.0.0.1', String(queue.port), 'TCP', 'send', join(base, 'message.txt')]))
        .code,
    ).toBe(0);
    expect((await wirestate(['queue', 'client', '127.0.0.1', String(queue.port), 'TCP', 'receive'])).stdout).toBe(
      'seen in the inspector\n',
    );
    // Both connections listed with how they ended; then the send's own statechart, at its final state.
    await explained(
      page.waitForFunction(() =>
        /stored[^]*delivered|delivered[^]*stored/.test(document.querySelector('#connections tbody')?.textContent ?? ''),
      ),
    );
    await page.click('#connections tbody tr:last-child');
    // The wirestate client took the server's offer: the message was confirmed once stored.
    await explained(page.waitForSelector('#chart .node.active[data-state="confirm_stored"]'));
    const rows = await page.$$eval('#connections tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (cell) => cell.textContent)),
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        [
          'c1',
          expect.stringMatching(/^127\.0\.0\.1:\d+$/),
          'queue',
          'send of 22 B',
          '22 B',
          'confirm_stored',
          'stored',
        ],
        [
          'c2',
          expect.stringMatching(/^127\.0\.0\.1:\d+$/),
          'queue',
          'receive',
          '22 B',
          'request_complete',
          'delivered',
        ],
      ]),
    );
    const drawn = await page.$$eval('#chart .node', (nodes) => nodes.map((node) => node.getAttribute('data-state')));
    expect(drawn).toEqual(
      expect.arrayContaining([
        'client_connect',
        'receiving_message',
        'enqueue',
        'dequeue',
        'send_message',
        'confirm_delivery',
      ]),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'live-queue.png'), fullPage: true });
  } finally {
    queue.child.kill('SIGTERM');
    await queue.exited;
  }
});

it('serve-all: a client of every protocol works, and one inspector shows every connection', async () => {
  // Every protocol's servers on ports the OS picks (never the default ones, which a running server may hold).
  const anyPorts = PROTOCOLS.flatMap((protocol) => [`--${protocol.name}-port`, '0']);
  const all = await startCliServer([
    'serve-all',
    '--host',
    '127.0.0.1',
    '--root',
    join(base, 'all'),
    '--inspect',
    '0',
    ...anyPorts,
  ]);
  try {
    await all.logged(/ardei-udp server listening/);
    const url = /inspector on (http:\/\/\S+)/.exec(all.output())![1];
    await page.goto(url);
    await page.waitForSelector('#status:text("live")');
    await writeFile(join(base, 'all', 'speech.txt'), 'Four score\n');
    await writeFile(join(base, 'message.txt'), 'queued');
    /** The port the server named `server` (as its listening line says) got. */
    const at = (server: string) => new RegExp(`\\b${server} server listening on \\S+:(\\d+)`).exec(all.output())![1];
    const results = await Promise.all([
      wirestate([
        'client',
        '-q',
        '-s',
        `127.0.0.1:${at('transfer')}`,
        '-v',
        'speech.txt',
        '-l',
        join(base, 'via-transfer.txt'),
      ]),
      wirestate(['queue', 'client', '127.0.0.1', at('queue-udp'), 'UDP', 'send', join(base, 'message.txt')]),
      wirestate(['upper', 'client', '--port', at('upper'), 'hello']),
      wirestate(['sum', 'client', '--port', at('sum'), 'Alice', '42']),
      wirestate(['blocks', 'client', `127.0.0.1:${at('blocks')}:speech.txt`, join(base, 'via-blocks.txt')]),
      wirestate(['share', 'client', '127.0.0.1', at('share'), 'list']),
      wirestate(['ardei', 'client', '--port', at('ardei'), '5000']),
      wirestate(['ardei', 'client', '--udp', '--port', at('ardei-udp'), 'hello']),
      run('sh', [
        '-c',
        `printf 'ls\\nquit\\n' | "${process.execPath}" "${CLI}" ardei client --advanced --port ${at('ardei-advanced')}`,
      ]),
    ]);
    expect(results.map((result) => result.code)).toEqual(results.map(() => 0));
    // The UDP queue client's message, received over TCP: one queue, whichever transport.
    expect((await wirestate(['queue', 'client', '127.0.0.1', at('queue'), 'TCP', 'receive'])).stdout).toBe('queued\n');
    const protocols = [
      'transfer',
      'queue',
      'queue-udp',
      'upper',
      'sum',
      'blocks',
      'share',
      'ardei',
      'ardei-udp',
      'ardei-advanced',
    ];
    await explained(
      page.waitForFunction(
        (count) => document.querySelectorAll('#connections tbody tr').length >= count,
        protocols.length,
      ),
    );
    const shown = await page.$$eval('#connections tbody tr td:nth-child(3)', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(new Set(shown)).toEqual(new Set(protocols));
    await page.screenshot({ path: join(ARTIFACTS, 'serve-all.png'), fullPage: true });
  } finally {
    all.child.kill('SIGTERM');
    await all.exited;
  }
});

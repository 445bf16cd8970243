/// <reference lib="dom" />
/**
 * The inspector's live view in a real browser (src/test-support/inspector-bench.ts): a transfer on
 * loopback shows up and its highlighted state moves through the machine's states; the chart fits its
 * panel, zooms and pans; connections are there on first paint and the table fits 800 px; a transfer
 * client's own inspector (inspector-client-rows.browser.test.ts: what a client's requests show). One bench
 * (server, proxy, chromium) for them all: starting one costs ~4 s CPU.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { CLI, wirestate } from '../test-support/processes';
import { ARTIFACTS, inspectorBench } from '../test-support/inspector-bench';

const DOWNLOAD_PATH = [
  'client_connect',
  'check_download',
  'send_check_download',
  'check_download_confirmation',
  'downloading.sending',
  'download_complete',
];

const bench = inspectorBench();

/** Each edge label of the chart as drawn: its text, its size in screen pixels, and any label or state it covers. */
function labelsAtFit(page: Page) {
  return page.evaluate(() => {
    const labels = Array.from(document.querySelectorAll('#chart .label'), (edge) => {
      const texts = Array.from(edge.querySelectorAll('text'));
      const boxes = texts.map((text) => text.getBoundingClientRect());
      return {
        edge: edge.getAttribute('data-label') ?? '',
        text: texts.map((text) => text.textContent).join(' '),
        pixels: Math.min(...texts.map((text) => text.getScreenCTM()!.a * parseFloat(getComputedStyle(text).fontSize))),
        box: {
          left: Math.min(...boxes.map((box) => box.left)),
          right: Math.max(...boxes.map((box) => box.right)),
          top: Math.min(...boxes.map((box) => box.top)),
          bottom: Math.max(...boxes.map((box) => box.bottom)),
        },
      };
    });
    const states = Array.from(document.querySelectorAll('#chart .node rect'), (rect) => ({
      state: rect.parentElement!.getAttribute('data-state') ?? '',
      box: rect.getBoundingClientRect(),
    }));
    interface Box {
      left: number;
      right: number;
      top: number;
      bottom: number;
    }
    // Glyph boxes run a little past the letters: half a pixel of touching is not a collision.
    const overlap = (a: Box, b: Box) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const collisions = labels.flatMap((label, index) => [
      ...labels
        .slice(index + 1)
        .filter((other) => overlap(label.box, other.box))
        .map((other) => `${label.edge} / ${other.edge}`),
      ...states.filter((state) => overlap(label.box, state.box)).map((state) => `${label.edge} / ${state.state}`),
    ]);
    return { labels: labels.map(({ edge, text, pixels }) => ({ edge, text, pixels })), collisions };
  });
}

it('shows a live transfer: the connection, its highlighted state moving through the machine, the path and outcome', async () => {
  const { page, inspectorUrl, base, proxyPort } = bench;
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
    `127.0.0.1:${proxyPort}`,
    '-v',
    'big.bin',
    '-l',
    join(base, 'got.bin'),
  ]);
  // Through the observer, not by polling the chart: a loaded browser may poll past a state that short.
  await page.waitForFunction(() =>
    (window as unknown as { highlighted: string[] }).highlighted.includes('downloading.sending'),
  );
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
  // The transitions taken are drawn apart from the others, their lines and their labels.
  const looks = (edge: string) =>
    page.evaluate((key) => {
      const line = document.querySelector(`#chart [data-edge="${key}"] path`)!;
      const label = document.querySelector(`#chart [data-label="${key}"] text`)!;
      return { line: getComputedStyle(line).stroke, label: getComputedStyle(label).fill };
    }, edge);
  const taken = await looks('client_connect->check_download');
  const other = await looks('client_connect->check_upload');
  expect(taken.line).not.toBe(other.line);
  expect(taken.label).not.toBe(other.label);
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
      'received REQUEST D "big.bin"',
      'lookup: the file is there, 16777216 B',
      'received DOWNLOAD_CONFIRM T',
    ]),
  );
  expect(
    await page.$$eval('#log li', (items) =>
      items.some((item) => /frame\.data|DATA \d+ B|file\.chunk/.test(item.textContent ?? '')),
    ),
  ).toBe(false);
  expect(failures).toEqual([]);
});

it('fits the transfer chart in its panel at 1400 x 900, every state visible, every label readable and clear of the others; zoom and pan on it', async () => {
  const { page, inspectorUrl } = bench;
  await page.goto(inspectorUrl);
  await page.click('#connections tbody tr:first-child');
  await page.waitForSelector('#chart svg');
  const fit = await page.evaluate(() => {
    const panel = document.querySelector('#chart')!.getBoundingClientRect();
    const nodes = Array.from(document.querySelectorAll('#chart .node, #chart .label text'), (node) => ({
      state: node.getAttribute('data-state') ?? node.textContent,
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
      labels: document.querySelectorAll('#chart .label text').length,
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
  expect(fit.labels).toBeGreaterThan(30);
  // Every state and every edge label, a label beside an outer edge too.
  expect(fit.outside).toEqual([]);
  expect(fit.panel.right).toBeLessThanOrEqual(1400);
  expect(fit.panel.bottom).toBeLessThanOrEqual(900);
  expect(fit.panel.height).toBeGreaterThan(300);

  // Readable at fit: every edge label is drawn at 9 px or more, and none covers another label or a state.
  const drawn = await labelsAtFit(page);
  expect(drawn.labels.length).toBeGreaterThan(30);
  expect(drawn.labels.filter((label) => label.pixels < 9)).toEqual([]);
  expect(drawn.collisions).toEqual([]);

  // Each edge is labelled short, by its guard (or its event), with every transition in full on hover.
  const label = (edge: string) => drawn.labels.find((one) => one.edge === edge)?.text;
  const title = (edge: string) => page.textContent(`#chart [data-edge="${edge}"] > title`);
  expect(label('client_connect->check_download')).toBe("op is 'D'");
  expect(await title('client_connect->check_download')).toBe("frame.request [op is 'D']");
  expect(label('client_connect->check_upload')).toBe("op is 'U'");
  // Every op in its letter, the lower-case ones too (the list extension's 'l'), not a byte value.
  expect(label('client_connect->listing')).toBe("op is 'l'");
  expect(label('hello->client_connect')).toBe('wire.flushed');
  // The fallback, taken when no guard before it holds, says so: no two frame.request transitions read alike.
  expect(label('check_download_confirmation->failed')).toBe('otherwise');
  const fallbacks = (await title('client_connect->failed'))!.split('\n');
  expect(fallbacks).toContain('frame.request [otherwise]');
  expect(label('client_connect->failed')).toBe(`otherwise +${fallbacks.length - 1}`);
  const requests = (
    await page.$$eval('#chart [data-edge^="client_connect->"] > title', (titles) =>
      titles.flatMap((one) => (one.textContent ?? '').split('\n')),
    )
  ).filter((line) => line.startsWith('frame.request'));
  expect(requests).not.toContain('frame.request');
  expect(new Set(requests).size).toBe(requests.length);

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

it('shows the connections so far on first paint, and the table fits 800 px', async () => {
  const { inspectorUrl, base, serverPort, browser } = bench;
  // One more connection, of any size: the first paint is the point.
  await writeFile(join(base, 'root', 'small.txt'), 'Four score\n');
  expect(
    (
      await wirestate([
        'client',
        '-q',
        '-s',
        `127.0.0.1:${serverPort}`,
        '-v',
        'small.txt',
        '-l',
        join(base, 'again.txt'),
      ])
    ).code,
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
    // A state name wraps only after a `_`: each of its words lies on one line.
    const wrapped = await fresh.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#connections td.state')).flatMap((cell) =>
        Array.from(cell.childNodes)
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => {
            const range = document.createRange();
            range.selectNodeContents(node);
            return {
              word: node.textContent,
              lines: new Set(Array.from(range.getClientRects()).map((rect) => rect.top)).size,
            };
          }),
      ),
    );
    expect(wrapped.length).toBeGreaterThan(0);
    expect(wrapped.filter(({ lines }) => lines > 1)).toEqual([]);
    await fresh.screenshot({ path: join(ARTIFACTS, 'narrow-800.png'), fullPage: true });
  } finally {
    await fresh.close();
  }
});
it("shows a transfer client's own inspector: its row says what it asked for, every state and label of its chart in the panel", async () => {
  const { page, base, serverPort, explained } = bench;
  // A small file: the client's own chart and row are the point, not the transfer's size.
  await writeFile(join(base, 'root', 'own.txt'), 'Four score\n');
  // The client's inspector stays open after the transfer, until the client is stopped.
  const client = spawn(
    process.execPath,
    [
      CLI,
      'client',
      '-q',
      '--inspect',
      '0',
      '-s',
      `127.0.0.1:${serverPort}`,
      '-v',
      'own.txt',
      '-l',
      join(base, 'own-copy.txt'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  try {
    let said = '';
    const url = await new Promise<string>((resolve, reject) => {
      client.stderr.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        const found = /inspector on (http:\/\/\S+)/.exec(said);
        if (found) resolve(found[1]);
      });
      client.once('exit', (code) => reject(new Error(`client exited ${String(code)}: ${said}`)));
    });
    await page.goto(url);
    await explained(page.waitForSelector('#connections tbody tr td.outcome:not(:empty)'));
    const row = await page.$$eval('#connections tbody tr:first-child td', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(row.slice(2, 4)).toEqual(['transfer', 'download "own.txt"']);
    await page.waitForSelector('#chart svg');
    const outside = await page.evaluate(() => {
      const panel = document.querySelector('#chart')!.getBoundingClientRect();
      return Array.from(document.querySelectorAll('#chart .node, #chart .label'))
        .filter((node) => {
          const box = node.getBoundingClientRect();
          return (
            box.left < panel.left - 1 ||
            box.right > panel.right + 1 ||
            box.top < panel.top - 1 ||
            box.bottom > panel.bottom + 1
          );
        })
        .map((node) => node.getAttribute('data-state') ?? node.getAttribute('data-label'));
    });
    expect(outside).toEqual([]);
    const drawn = await labelsAtFit(page);
    expect(drawn.labels.length).toBeGreaterThan(40);
    await page.screenshot({ path: join(ARTIFACTS, 'client-chart.png'), fullPage: true });
  } finally {
    client.kill('SIGINT');
  }
});

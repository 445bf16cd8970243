/// <reference lib="dom" />
/**
 * The inspector's live view in a real browser (src/test-support/inspector-bench.ts), for what a client's requests
 * show: a client that says hello (its extension frames named, its path drawn through hello); a refusal and an error
 * read differently in the connections table. One bench (server, proxy, chromium) for them all.
 */
import { createHash, randomBytes } from 'node:crypto';
import { truncate, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { wirestate } from '../test-support/processes';
import { ARTIFACTS, inspectorBench } from '../test-support/inspector-bench';

const bench = inspectorBench();

describe('a client that says hello', () => {
  it("names a wirestate client's extension frames in the live log: hello, resumable request with its size, digest", async () => {
    const { page, inspectorUrl, base, serverPort, explained } = bench;
    await page.goto(inspectorUrl);
    await page.waitForSelector('#status:text("live")');
    const file = randomBytes(1000);
    await writeFile(join(base, 'ext-up.bin'), file);
    // No --plain: the client says hello, and the upload goes as a resumable one (`p`) with its SHA-256.
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
    await explained(page.waitForSelector('#log li:has-text("DIGEST")'));
    expect(await page.$$eval('#log li', (items) => items.map((item) => item.lastChild?.textContent))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^received HELLO wirestate\/1 /),
        expect.stringMatching(/^received REQUEST p "ext-up\.bin" \+ UPLOAD_OPEN size=1000 id=[0-9a-f]{32}$/),
        'received UPLOAD_FROM 0',
        `received DIGEST ${createHash('sha256').update(file).digest('hex')}`,
      ]),
    );
  });

  it("draws a download's path with a hello clear of the labels of transitions it did not take", async () => {
    const { page, inspectorUrl, base, serverPort, explained } = bench;
    await page.goto(inspectorUrl);
    await page.waitForSelector('#status:text("live")');
    await writeFile(join(base, 'root', 'hello-path.txt'), 'Four score\n');
    // No --plain: client_connect -> hello -> client_connect, then the download.
    const download = await wirestate([
      'client',
      '-q',
      '-s',
      `127.0.0.1:${serverPort}`,
      '-v',
      'hello-path.txt',
      '-l',
      join(base, 'hello-path-copy.txt'),
    ]);
    expect(download.code).toBe(0);
    const row = `#connections tbody tr:has(td:text-is('download "hello-path.txt"'))`;
    await explained(page.waitForSelector(`${row} td.outcome:not(:empty)`));
    await page.click(row);
    await page.waitForSelector('#chart [data-edge="hello->client_connect"].taken');
    const crossings = await page.evaluate(() => {
      const untaken = Array.from(document.querySelectorAll('#chart .label:not(.taken)'), (label) => ({
        key: label.getAttribute('data-label') ?? '',
        box: label.querySelector('rect')!.getBoundingClientRect(),
      }));
      return Array.from(document.querySelectorAll('#chart .edge.taken')).flatMap((edge) => {
        const path = edge.querySelector<SVGPathElement>('path')!;
        const matrix = path.getScreenCTM()!;
        const length = path.getTotalLength();
        const points = Array.from({ length: 41 }, (_, i) =>
          path.getPointAtLength((length * i) / 40).matrixTransform(matrix),
        );
        return untaken
          .filter(({ box }) =>
            points.some((p) => p.x > box.left + 1 && p.x < box.right - 1 && p.y > box.top + 1 && p.y < box.bottom - 1),
          )
          .map(({ key }) => `${edge.getAttribute('data-edge') ?? ''} over ${key}`);
      });
    });
    expect(crossings).toEqual([]);
  });
});

describe('outcomes in the connections table', () => {
  it('tells a refused download (N) from one answered E or that failed on the server, in its outcome and in its state', async () => {
    const { page, inspectorUrl, base, serverPort, proxyPort, explained } = bench;
    /** Downloads `name` through `port` into the bench's folder, under its last part. */
    const download = (port: number, name: string) =>
      wirestate(['client', '-q', '-s', `127.0.0.1:${port}`, '-v', name, '-l', join(base, basename(name))]);
    // E: a name outside the served folder, which the client sends as given.
    expect((await download(serverPort, '../outside.bin')).code).toBe(4);
    expect((await download(serverPort, 'missing.bin')).code).toBe(3);
    await writeFile(join(base, 'root', 'shrinks.bin'), randomBytes(16 * 1024 * 1024));
    await page.goto(inspectorUrl);
    const failing = download(proxyPort, 'shrinks.bin');
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
    expect(refused).toEqual({ text: 'refused: no such file', kind: 'outcome declined', color: expect.any(String) });
    expect(answeredE).toEqual({
      text: 'protocol error: a name that leads out of the served folder',
      kind: 'outcome error',
      color: failed.color,
    });
    expect(failed.kind).toBe('outcome error');
    expect(failed.text).toMatch(/^server error/);
    expect(failed.color).not.toBe(refused.color);

    // A refusal and an E both end in the seed's download_complete: the state says in words how each ended, in the
    // table and on the chart, as does the state a server error ends in.
    const stateCell = (request: string) => page.textContent(`${row(request)} td.state`);
    expect(await stateCell('missing.bin')).toBe('download_complete \u2014 refused');
    expect(await stateCell('../outside.bin')).toBe('download_complete \u2014 protocol error');
    expect(await stateCell('shrinks.bin')).toBe('failed \u2014 server error');
    const shown = async (request: string, state: string) => {
      await page.click(row(request));
      const node = `#chart .node.active[data-state="${state}"]`;
      await page.waitForSelector(node);
      return {
        state: await page.textContent('#current-state'),
        chart: await page.$eval(node, (group) =>
          Array.from(group.querySelectorAll('text'), (text) => text.textContent).join(''),
        ),
      };
    };
    expect(await shown('../outside.bin', 'download_complete')).toEqual({
      state: 'download_complete \u2014 protocol error',
      chart: 'download_complete\u2014 protocol error',
    });
    expect(await shown('missing.bin', 'download_complete')).toEqual({
      state: 'download_complete \u2014 refused',
      chart: 'download_complete\u2014 refused',
    });
    await page.screenshot({ path: join(ARTIFACTS, 'refused-and-failed.png') });
    expect(await shown('shrinks.bin', 'failed')).toEqual({
      state: 'failed \u2014 server error',
      chart: 'failed\u2014 server error',
    });
  });
});

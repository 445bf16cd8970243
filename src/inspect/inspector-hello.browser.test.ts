/// <reference lib="dom" />
/**
 * The inspector's live view of a wirestate client that says hello, in a real browser
 * (src/test-support/inspector-bench.ts): its extension frames named in the log, and a download's path drawn
 * through hello and back, clear of the labels of transitions it did not take.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wirestate } from '../test-support/processes';
import { inspectorBench } from '../test-support/inspector-bench';

const bench = inspectorBench();

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

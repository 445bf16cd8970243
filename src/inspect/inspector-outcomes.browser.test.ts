/// <reference lib="dom" />
/** The inspector's connections table in a real browser (src/test-support/inspector-bench.ts): a refusal and an error read differently. */
import { randomBytes } from 'node:crypto';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wirestate } from '../test-support/processes';
import { ARTIFACTS, inspectorBench } from '../test-support/inspector-bench';

const bench = inspectorBench();

it('tells a refused download (N) from one answered E or that failed on the server', async () => {
  const { page, inspectorUrl, base, serverPort, proxyPort, explained } = bench;
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
    `127.0.0.1:${proxyPort}`,
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
  expect(refused).toEqual({ text: 'refused: no such file', kind: 'outcome declined', color: expect.any(String) });
  expect(answeredE).toEqual({
    text: 'protocol error: a name that leads out of the served folder',
    kind: 'outcome error',
    color: failed.color,
  });
  expect(failed.kind).toBe('outcome error');
  expect(failed.text).toMatch(/^server error/);
  expect(failed.color).not.toBe(refused.color);
  await page.screenshot({ path: join(ARTIFACTS, 'refused-and-failed.png') });
});

/// <reference lib="dom" />
/** The inspector's connections table in a real browser (src/test-support/inspector-bench.ts): a refusal and an error read differently. */
import { randomBytes } from 'node:crypto';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wirestate } from '../test-support/processes';
import { ARTIFACTS, inspectorBench } from '../test-support/inspector-bench';

const bench = inspectorBench();

it('tells a refused download (N) from one answered E or that failed on the server, in its outcome and in its state', async () => {
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

/// <reference lib="dom" />
/** The inspector's trace view in a real browser (src/test-support/inspector-bench.ts): a recorded trace opened and stepped through. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTrace } from '../trace/trace-format';
import { REPO, wirestate } from '../test-support/processes';
import { ARTIFACTS, inspectorBench } from '../test-support/inspector-bench';

const bench = inspectorBench();

it('opens a recorded trace and steps through it, the diagram following, the header naming it until it is closed', async () => {
  const { page, inspectorUrl } = bench;
  const file = join(REPO, 'fixtures', 'traces', 'transfer', 'upload-ok.server.jsonl');
  const trace = parseTrace(await readFile(file, 'utf8'));
  const stateAt = (step: number) =>
    [...trace.entries.slice(0, step + 1)].reverse().find((entry) => 'state' in entry) as { state: string };

  await page.goto(inspectorUrl);
  await page.waitForSelector('#status:text-is("live")');
  await page.setInputFiles('#trace-file', file);
  await page.waitForSelector('#trace-controls:not([hidden])');
  // The header says which trace is shown instead of the live stream.
  expect(await page.textContent('#status')).toBe('trace: upload-ok.server.jsonl');
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
  await page.click('#trace-close');
  expect(await page.textContent('#status')).toBe('live');
});

it("draws a client's chart from its trace: a loop's label beside its state, a bare arrow for 'always', guards as written", async () => {
  const { page, inspectorUrl } = bench;
  const open = async (file: string) => {
    await page.goto(inspectorUrl);
    await page.setInputFiles('#trace-file', join(REPO, 'fixtures', 'traces', ...file.split('/')));
    await page.waitForSelector('#chart svg');
  };
  /** Labels whose box covers a state's box. */
  const onStates = () =>
    page.$$eval('#chart .label rect', (rects) => {
      const states = Array.from(document.querySelectorAll('#chart .node rect'), (rect) => rect.getBoundingClientRect());
      return rects
        .filter((rect) => {
          const a = rect.getBoundingClientRect();
          return states.some((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom);
        })
        .map((rect) => rect.parentElement!.getAttribute('data-label'));
    });
  // upper's client waits for its reply in a state that loops on itself (wire.progress).
  await open('upper/ok.client.jsonl');
  expect(await page.$$eval('#chart [data-label="wait_reply->wait_reply"]', (labels) => labels.length)).toBe(1);
  expect(await onStates()).toEqual([]);
  await open('transfer/download-busy.client.jsonl');
  // A client's id is its role: said once (it read `transfer client client`).
  expect(await page.textContent('#detail-title')).toMatch(
    /^trace download-busy\.client\.jsonl: transfer client, 127\.0\.0\.1:\d+$/,
  );
  expect(
    await page.$$eval('#chart [data-edge="init_download->send_check_file_download"]', (edges) => edges.length),
  ).toBe(1);
  expect(
    await page.$$eval('#chart [data-label="init_download->send_check_file_download"]', (labels) => labels.length),
  ).toBe(0);
  expect(
    await page.$$eval('#chart [data-label="check_plain_farewell->cannot_list"] text', (lines) =>
      lines.map((line) => line.textContent).join(' '),
    ),
  ).toBe('event.status === STATUS.yes +1');
});

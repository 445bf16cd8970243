/// <reference lib="dom" />
/**
 * The inspector with the other protocols in a real browser (src/test-support/inspector-bench.ts): a
 * queue server's connections with their own machine, and serve-all's every protocol in one inspector.
 * And a page whose live stream the inspector can no longer resume (it does not keep the messages the page
 * still needs: the page fell behind, or wirestate was started again) is told so (`event: behind`) and loads
 * afresh. Here: a queue server started again on the same inspector port. The trace view: a recorded trace
 * opened and stepped through, a client's chart drawn from its trace. One bench (server, proxy, chromium) for
 * them all: starting one costs ~4 s CPU.
 */
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { CLI, REPO, freePort, run, startCliServer, wirestate } from '../test-support/processes';
import { parseTrace } from '../trace/trace-format';
import { startInspectedQueueServer } from '../test-support/inspected-queue';
import { ARTIFACTS, inspectorBench } from '../test-support/inspector-bench';
import { PROTOCOLS } from '../../machines/protocols';

const bench = inspectorBench();

it('shows the connections of another protocol with its own machine: a queue send and receive', async () => {
  const { page, base, explained } = bench;
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
    // Neither side opted into the stored confirmation (queue server --offer-confirmation, send --confirm):
    // the seed's exchange, so the send ends at message_stored, never through offered or confirm_stored.
    await explained(page.waitForSelector('#chart .node.active[data-state="message_stored"]'));
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
          'message_stored',
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
        // The opt-in confirmation's states are part of the machine, drawn though not taken here.
        'offered',
        'confirm_stored',
      ]),
    );
    const visited = await page.$$eval('#chart .node.visited, #chart .node.active', (nodes) =>
      nodes.map((node) => node.getAttribute('data-state')),
    );
    expect(visited).toEqual(expect.arrayContaining(['receiving_message', 'enqueue', 'message_stored']));
    expect(visited).not.toContain('offered');
    await page.screenshot({ path: join(ARTIFACTS, 'live-queue.png'), fullPage: true });
  } finally {
    queue.child.kill('SIGTERM');
    await queue.exited;
  }
});

it('serve-all: a client of every protocol works, and one inspector shows every connection', async () => {
  const { page, base, explained } = bench;
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
    // A loop from a state back to itself leaves the state's side and comes back into it (dagre's own points for
    // one strayed off to the panel's edge, touching nothing).
    for (const protocol of ['share', 'ardei']) {
      await page.click(`#connections tbody tr:has(td:nth-child(3):text-is("${protocol}"))`);
      await page.waitForSelector('#chart svg');
      const loops = await page.$$eval('#chart .edge', (edges) =>
        edges
          .map((edge) => ({ edge, ends: edge.getAttribute('data-edge')!.split('->') }))
          .filter(({ ends: [from, to] }) => from === to)
          .map(({ edge, ends: [state] }) => {
            const box = document.querySelector(`#chart .node[data-state="${state}"] rect`)!.getBoundingClientRect();
            const line = edge.querySelector('path')!.getBoundingClientRect();
            const touches =
              Math.abs(line.left - box.right) <= 1 && line.top >= box.top - 1 && line.bottom <= box.bottom + 1;
            return `${state}: ${touches ? 'beside it' : 'astray'}`;
          }),
      );
      expect(loops.length).toBeGreaterThan(0);
      expect(loops.filter((loop) => loop.endsWith('astray'))).toEqual([]);
    }
  } finally {
    all.child.kill('SIGTERM');
    await all.exited;
  }
});

describe('a page the live stream cannot resume', () => {
  /** `count` queue messages sent, each over its own TCP connection. */
  async function sendMessages(port: number, count: number): Promise<void> {
    for (let sent = 0; sent < count; sent++) {
      const socket = connect(port, '127.0.0.1');
      socket.end(`message ${sent}\n`);
      socket.resume();
      await once(socket, 'close');
    }
  }

  const rows = (page: typeof bench.page) => page.$$eval('#connections tbody tr', (found) => found.length);

  // Before: the page asked to resume after its last message, which the new run had not reached, and went on showing
  // the old run's connections and none of the new run's.
  it("wirestate started again on the same port: the open page loads afresh and shows the new run's connections", async () => {
    const inspectorPort = await freePort();
    const { server: first } = await startInspectedQueueServer(inspectorPort);
    await sendMessages(first.port, 6);
    const page = await bench.browser.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await page.goto(`http://127.0.0.1:${inspectorPort}/`);
      await page.waitForSelector('#status:text("live")');
      expect(await rows(page)).toBe(6);
      first.child.kill('SIGTERM');
      await first.exited;
      await page.waitForSelector('#status:text("disconnected")');

      const { server: second } = await startInspectedQueueServer(inspectorPort);
      try {
        await sendMessages(second.port, 2);
        await page.waitForFunction(() => document.querySelectorAll('#connections tbody tr').length === 2);
        await page.waitForSelector('#status:text("live")');
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await page.close();
    }
  });
});

describe('a recorded trace', () => {
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
      expect.arrayContaining([
        expect.stringMatching(/REQUEST U "new\.txt"$/),
        expect.stringMatching(/UPLOAD_REPLY T$/),
      ]),
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
        const states = Array.from(document.querySelectorAll('#chart .node rect'), (rect) =>
          rect.getBoundingClientRect(),
        );
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
});

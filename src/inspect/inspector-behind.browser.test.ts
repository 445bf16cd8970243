/// <reference lib="dom" />
/**
 * A page whose live stream the inspector can no longer resume (it does not keep the messages the page still needs:
 * the page fell behind, or wirestate was started again) is told so (`event: behind`) and loads afresh, in a real
 * browser (src/test-support/inspector-bench.ts). Here: wirestate started again on the same inspector port.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { freePort } from '../test-support/processes';
import { startInspectedQueueServer } from '../test-support/inspected-queue';
import { inspectorBench } from '../test-support/inspector-bench';

const bench = inspectorBench();

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

import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { ClientLogicPool, type ClientLogic } from './client-logic-pool';

describe('ClientLogicPool', () => {
  it('builds one machine for transfers one after another, and one per transfer in flight', async () => {
    const pool = new ClientLogicPool();
    const seen: ClientLogic[] = [];
    const transfer = (logic: ClientLogic) => {
      seen.push(logic);
      return new Promise((resolve) => setImmediate(resolve));
    };
    await pool.lend(memoryLocalFile(), transfer);
    await pool.lend(memoryLocalFile(), transfer);
    expect(seen[1]).toBe(seen[0]);
    await Promise.all([pool.lend(memoryLocalFile(), transfer), pool.lend(memoryLocalFile(), transfer)]);
    expect(seen[2]).not.toBe(seen[3]);
    expect(new Set(seen).size).toBe(2);
  });

  it("a lent machine's actors use the file it was lent with", async () => {
    const pool = new ClientLogicPool();
    for (const room of [10, 20])
      await pool.lend(memoryLocalFile(Buffer.alloc(0), room), async (logic) => {
        expect(await roomFor(logic, room + 1)).toBe(false);
        expect(await roomFor(logic, room)).toBe(true);
      });
  });
});

/** Runs the machine's room check, as the client machine does on the server's size for a download: its answer. */
async function roomFor(logic: ClientLogic, size: number): Promise<unknown> {
  const { createActor, setup } = await import('xstate');
  const checker = setup({
    actions: { checkDownloadRoom: logic.implementations.actions.checkDownloadRoom as never },
  }).createMachine({ context: { size }, entry: 'checkDownloadRoom' });
  return (createActor(checker).start().getSnapshot().context as { room?: unknown }).room;
}

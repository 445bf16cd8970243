/**
 * The fixture recorder works from a descriptor alone: given the test protocol
 * (src/test-support/protocols/reverse/, in no list of the CLI's), it records its
 * scenarios over loopback, the traces replay in every chunking, and recording
 * again leaves each file byte for byte while it says the same.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reverseProtocol } from '../src/test-support/protocols/reverse';
import { CHUNKINGS } from '../src/test-support/fixture-suite';
import { parseTrace } from '../src/trace/trace-format';
import { differences, expectedFromTrace, replayTrace } from '../src/trace/trace-replay';
import type { ProtocolDescriptor } from '../machines/protocol-descriptor';
import { recordFixtures } from './fixture-recorder';

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'wirestate-recorder-'));
});
afterEach(() => rm(out, { recursive: true, force: true }));

const FILES = ['reverse/ended-early.server.jsonl', 'reverse/ok.client.jsonl', 'reverse/ok.server.jsonl'];
const read = async (file: string) => readFile(join(out, file), 'utf8');

it("records each of the test protocol's scenarios into its folder, and each trace replays in every chunking", async () => {
  const report = await recordFixtures([reverseProtocol], out);
  expect([...report.written].sort()).toEqual(FILES);
  expect((await readdir(join(out, 'reverse'))).sort()).toEqual(FILES.map((file) => file.slice('reverse/'.length)));
  expect(parseTrace(await read('reverse/ok.server.jsonl')).entries).toContainEqual(
    expect.objectContaining({ out: Buffer.from('esrever ,olleH\n').toString('base64') }),
  );
  const support = reverseProtocol.traces.reverse;
  for (const file of FILES) {
    const trace = parseTrace(await read(file));
    for (const [, chunking] of CHUNKINGS)
      expect(differences(expectedFromTrace(trace), await replayTrace(trace, support.specFromTrace, chunking))).toEqual(
        [],
      );
  }
});

it('leaves files that say the same byte for byte, rewrites one that says otherwise and removes one no scenario records', async () => {
  await recordFixtures([reverseProtocol], out);
  const before = await Promise.all(FILES.map(read));
  await writeFile(join(out, 'reverse', 'ok.server.jsonl'), before[0]); // the ended-early trace in ok's place
  await writeFile(join(out, 'reverse', 'gone.server.jsonl'), before[0]);

  const report = await recordFixtures([reverseProtocol], out);

  expect(report).toEqual({
    kept: ['reverse/ok.client.jsonl', 'reverse/ended-early.server.jsonl'],
    written: ['reverse/ok.server.jsonl'],
    removed: ['reverse/gone.server.jsonl'],
  });
  expect(await read('reverse/ended-early.server.jsonl')).toBe(before[0]);
  expect(await read('reverse/ok.client.jsonl')).toBe(before[1]);
  expect(parseTrace(await read('reverse/ok.server.jsonl')).header.protocol).toBe('reverse');
  expect(expectedFromTrace(parseTrace(await read('reverse/ok.server.jsonl'))).states).toEqual(
    expectedFromTrace(parseTrace(before[2])).states,
  );
});

it("records a raw peer that waits, its side still open, for a server that resets it (the reset is the server's trace, not the recorder's error)", async () => {
  const tooLong = {
    ...reverseProtocol,
    fixtures: [
      {
        ...reverseProtocol.fixtures[0],
        name: 'line-too-long',
        run: async (peer) => (await peer.connect(Buffer.alloc(2000, 'x'))).closed(),
      },
    ],
  } satisfies ProtocolDescriptor;

  expect((await recordFixtures([tooLong], out)).written).toEqual(['reverse/line-too-long.server.jsonl']);
  expect(parseTrace(await read('reverse/line-too-long.server.jsonl')).entries).toContainEqual(
    expect.objectContaining({ outcome: expect.objectContaining({ outcome: 'refused', code: 'line.too_long' }) }),
  );
});

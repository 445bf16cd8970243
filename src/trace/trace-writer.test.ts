/** A trace written to a real file reads back, entry for entry, through the trace format's parser. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from '../version';
import { chunkBytes, parseTrace, TRACE_FORMAT } from './trace-format';
import { TraceWriter } from './trace-writer';

let base: string;
beforeEach(async () => (base = await mkdtemp(join(tmpdir(), 'wirestate-trace-'))));
afterEach(() => rm(base, { recursive: true, force: true }));

describe('TraceWriter', () => {
  it('writes a header and one line per event, in order, into a folder it creates', async () => {
    const dir = join(base, 'new', 'traces');
    const writer = TraceWriter.open(
      dir,
      {
        protocol: 'echo',
        role: 'server',
        connection: 'c7',
        peer: '127.0.0.1:4000',
        input: { max: 3 },
      },
      () => undefined,
    );
    writer.in(Buffer.from('ping\n'));
    writer.state('replying');
    writer.out(Uint8Array.from([0, 255]));
    writer.end();
    writer.error('ECONNRESET');
    await writer.finish({ ok: true, outcome: 'echoed', code: 'ok', bytes: 5 });

    expect(await readdir(dir)).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d-]+Z-server-c7\.jsonl$/)]);
    expect(writer.path.startsWith(dir)).toBe(true);
    const trace = parseTrace(await readFile(writer.path, 'utf8'));
    expect(trace.header).toMatchObject({
      trace: TRACE_FORMAT,
      protocol: 'echo',
      role: 'server',
      connection: 'c7',
      peer: '127.0.0.1:4000',
      version: VERSION,
      input: { max: 3 },
    });
    expect(new Date(trace.header.started).toString()).not.toBe('Invalid Date');
    expect(trace.entries.map(({ t: _, ...entry }) => entry)).toEqual([
      { in: Buffer.from('ping\n').toString('base64') },
      { state: 'replying' },
      { out: 'AP8=' },
      { end: 'peer' },
      { error: 'ECONNRESET' },
      { outcome: { ok: true, outcome: 'echoed', code: 'ok', bytes: 5 } },
    ]);
    expect(trace.entries.map((entry) => chunkBytes(entry)?.toString('hex'))).toEqual([
      Buffer.from('ping\n').toString('hex'),
      undefined,
      '00ff',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('stamps each entry with milliseconds since the trace opened, never going back', async () => {
    const writer = TraceWriter.open(
      base,
      {
        protocol: 'echo',
        role: 'client',
        connection: 'client',
        peer: 'localhost:1',
        input: {},
      },
      () => undefined,
    );
    for (let n = 0; n < 50; n++) writer.state(`s${n}`);
    await writer.finish({ ok: false, outcome: 'aborted', code: 'session.aborted', bytes: 0 });
    const times = parseTrace(await readFile(writer.path, 'utf8')).entries.map((entry) => entry.t);
    expect(times.every((t, n) => t >= 0 && (n === 0 || t >= times[n - 1]))).toBe(true);
  });

  it("names a one-connection client's trace <time>-client.jsonl, not client-client", async () => {
    const writer = TraceWriter.open(
      base,
      { protocol: 'transfer', role: 'client', connection: 'client', peer: 'h:1' },
      () => undefined,
    );
    await writer.finish({ ok: true, outcome: 'downloaded', code: 'ok', bytes: 0 });
    expect(await readdir(base)).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d-]+Z-client\.jsonl$/)]);
  });
});

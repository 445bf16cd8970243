/** The share machines and the client's reply reader, driven by scripted bytes (no sockets): the original's bugs not copied. */
import { PEER_ENDS, PEER_RESETS, replay, type ReplayInput } from '../../src/engine/replay';
import { MemoryFiles } from '../../src/storage/memory-files';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { CANCEL, PASS, encodeListing, encodeShareRequest, parseListing, parseShareRequest } from './codec';
import { ShareReplyReader } from './reply-reader';
import { shareClient, shareServer } from '.';
import type { ShareClientInput } from './client';
import { DEFAULT_PASS_GAP_MS } from './server';
import { everySplit, decodeAll } from '../../src/test-support/cuts';

const content = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 253));
const server = (files: MemoryFiles, inputs: ReplayInput[]) =>
  replay(shareServer(files, { maxRequest: 4096 }).accept('c1'), inputs);

const frames = (expect: 'answer' | 'listing', ...chunks: Buffer[]) => decodeAll(new ShareReplyReader(expect), chunks);

describe('codec and reply reader', () => {
  it('reads requests as the original does, white space kept, names with commas included, and never crashes on one without a comma', () => {
    expect(parseShareRequest('put,apple.jpg')).toEqual({ kind: 'put', name: 'apple.jpg' });
    expect(parseShareRequest('get,a,b.txt ')).toEqual({ kind: 'get', name: 'a,b.txt ' });
    expect(parseShareRequest('list')).toEqual({ kind: 'list' });
    expect(parseShareRequest(' list')).toEqual({ kind: 'unknown', text: ' list' });
    expect(parseShareRequest('delete')).toEqual({ kind: 'unknown', text: 'delete' });
    expect(parseShareRequest('put')).toEqual({ kind: 'unknown', text: 'put' });
  });

  it("encodes a request as the original client's bytes: no terminator", () => {
    expect(encodeShareRequest('put', 'apple.jpg').toString()).toBe('put,apple.jpg');
    expect(encodeShareRequest('get', 'apple.jpg').toString()).toBe('get,apple.jpg');
    expect(encodeShareRequest('list', '').toString()).toBe('list');
  });

  it('round-trips a listing, empty included', () => {
    expect(encodeListing(['a', 'b c']).toString()).toBe('a, b c, ');
    expect(parseListing(encodeListing(['a', 'b c']).toString())).toEqual(['a', 'b c']);
    expect(encodeListing([]).length).toBe(0);
    expect(parseListing('')).toEqual([]);
  });

  it.each(everySplit(Buffer.concat([PASS, Buffer.from('file bytes')])))(
    'splits pass from the file bytes however they are cut (%#)',
    (first, second) => {
      const out = frames('answer', first, second);
      expect(out[0]).toEqual({ type: 'frame.pass' });
      expect(Buffer.concat(out.slice(1).map((frame) => (frame as { bytes: Buffer }).bytes)).toString()).toBe(
        'file bytes',
      );
    },
  );

  it('reads cancel in pieces and rejects anything else', () => {
    expect(frames('answer', Buffer.from('can'), Buffer.from('cel'))).toEqual([{ type: 'frame.cancel' }]);
    expect(frames('answer', Buffer.from('HTTP'))[0].type).toBe('frame.bad');
  });
});

describe('share server', () => {
  it.each(everySplit(encodeShareRequest('get', 'song.bin')))(
    'answers a get cut anywhere (%#), once the client pauses, with pass and the file, then closes',
    async (first, second) => {
      const result = await server(new MemoryFiles({ 'song.bin': content }), [
        first,
        second,
        { wait: 50 },
        { wait: DEFAULT_PASS_GAP_MS },
      ]);
      expect(result.sent).toEqual(Buffer.concat([PASS, content]));
      expect(result.states).toEqual([
        'client_connect',
        'check_request',
        'check_download',
        'downloading.sending',
        'download_complete',
      ]);
      expect(result.closed).toBe('end');
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'sent', bytes: 5000 });
    },
  );

  it('sends pass alone and holds the file back for the pass gap, so that a client reading pass in one read gets it alone', async () => {
    const files = new MemoryFiles({ 'song.bin': content });
    expect(
      (await server(files, [Buffer.from('get,song.bin'), { wait: 50 }, { wait: DEFAULT_PASS_GAP_MS - 1 }])).sent,
    ).toEqual(PASS);
    expect(
      (await server(files, [Buffer.from('get,song.bin'), { wait: 50 }, { wait: DEFAULT_PASS_GAP_MS }])).sent,
    ).toEqual(Buffer.concat([PASS, content]));
    const noGap = await replay(shareServer(files, { maxRequest: 4096, passGapMs: 0 }).accept('c1'), [
      Buffer.from('get,song.bin'),
      { wait: 50 },
    ]);
    expect(noGap.sent).toEqual(Buffer.concat([PASS, content]));
  });

  it('takes a newline as the end of a request typed into nc (a name never holds one), and a CR before it', async () => {
    const files = new MemoryFiles({ 'song.bin': content });
    expect((await server(files, [Buffer.from('get,song.bin\n'), { wait: DEFAULT_PASS_GAP_MS }])).sent).toEqual(
      Buffer.concat([PASS, content]),
    );
    expect((await server(files, [Buffer.from('list\r\n')])).sent.toString()).toBe('song.bin, ');
    await server(files, [Buffer.from('put,typed.txt\nby hand\n'), PEER_ENDS]);
    expect(files.files.get('typed.txt')?.toString()).toBe('by hand\n');
  });

  it('stores a put only once the client ends its side, and closes cleanly after', async () => {
    const files = new MemoryFiles();
    const result = await server(files, [
      Buffer.from('put,new.bin'),
      { wait: 50 },
      content.subarray(0, 2000),
      content.subarray(2000),
      PEER_ENDS,
    ]);
    expect(result.sent).toEqual(PASS);
    expect(result.states).toEqual([
      'client_connect',
      'check_request',
      'check_upload',
      'uploading.receiving',
      'uploading.storing',
      'upload_complete',
    ]);
    expect(result.closed).toBe('end');
    expect(files.files.get('new.bin')).toEqual(content);
  });

  it('loses no file byte that comes in the same read as the request', async () => {
    const files = new MemoryFiles();
    await server(files, [Buffer.concat([Buffer.from('put,eager.bin\n'), content]), PEER_ENDS]);
    expect(files.files.get('eager.bin')).toEqual(content);
  });

  it('keeps nothing of a put whose client breaks off', async () => {
    const files = new MemoryFiles();
    const result = await server(files, [Buffer.from('put,new.bin\n'), content.subarray(0, 2000), PEER_RESETS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'interrupted' });
    expect(files.files.has('new.bin')).toBe(false);
  });

  it('cancels at once a put over an existing name, a get of a missing file, and names outside the folder', async () => {
    const files = new MemoryFiles({ 'taken.txt': 'x' });
    for (const request of ['put,taken.txt\n', 'get,missing.txt\n', 'put,../x\n', 'get,../../etc/passwd\n']) {
      const result = await server(files, [Buffer.from(request)]);
      expect(result.sent).toEqual(CANCEL);
      expect(result.closed).toBe('end');
      expect(result.outcome).toMatchObject({ ok: false, outcome: 'cancelled' });
    }
    expect([...files.files.keys()]).toEqual(['taken.txt']);
  });

  it('cancels a put or get whose name is not UTF-8, and stores nothing under U+FFFD', async () => {
    const files = new MemoryFiles({ '\uFFFD.txt': 'x' });
    for (const request of [Buffer.from('put,\xff.bin\n', 'latin1'), Buffer.from('get,\xff.txt\n', 'latin1')]) {
      const result = await server(files, [request, content, PEER_ENDS]);
      expect(result.sent).toEqual(CANCEL);
      expect(result.outcome).toMatchObject({ ok: false, outcome: 'cancelled', detail: 'a name that is not UTF-8' });
    }
    expect([...files.files.keys()]).toEqual(['\uFFFD.txt']);
  });

  it('lists every name, each followed by ", ", once the client pauses, and nothing for an empty folder', async () => {
    expect((await server(new MemoryFiles({ 'b.txt': '', 'a.txt': '' }), [Buffer.from('list')])).sent.toString()).toBe(
      '',
    );
    const listed = await server(new MemoryFiles({ 'b.txt': '', 'a.txt': '' }), [Buffer.from('list'), { wait: 50 }]);
    expect(listed.sent.toString()).toBe('a.txt, b.txt, ');
    expect((await server(new MemoryFiles(), [Buffer.from('list'), { wait: 50 }])).sent.length).toBe(0);
  });

  it('closes without a word on anything else, the original way, but says why in its outcome', async () => {
    const result = await server(new MemoryFiles(), [Buffer.from('delete,x\n')]);
    expect(result.sent.length).toBe(0);
    expect(result.closed).toBe('end');
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'unknown_request', detail: '"delete,x"' });
  });
});

describe('share client', () => {
  const input = (command: ShareClientInput['command'], size = 0): ShareClientInput => ({
    command,
    name: 'song.bin',
    size,
    maxListing: 1 << 20,
  });

  it.each(everySplit(Buffer.concat([PASS, content.subarray(0, 30)])))(
    'stores a get whose pass and first bytes come together or apart (%#)',
    async (first, second) => {
      const local = memoryLocalFile();
      const result = await replay(shareClient(local, input('get')), [first, second, content.subarray(30), PEER_ENDS]);
      expect(result.sent.toString()).toBe('get,song.bin');
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'received', bytes: 5000 });
      expect(local.stored).toEqual(content);
    },
  );

  it('puts the file after pass, ends its side, and counts it stored only at the server close', async () => {
    const result = await replay(shareClient(memoryLocalFile(content), input('put', 5000)), [PASS]);
    expect(result.sent).toEqual(Buffer.concat([Buffer.from('put,song.bin'), content]));
    expect(result.closed).toBe('end');
    expect(result.outcome).toBeUndefined();
    const stored = await replay(shareClient(memoryLocalFile(content), input('put', 5000)), [PASS, PEER_ENDS]);
    expect(stored.states).toEqual([
      'send_request',
      'wait_answer',
      'uploading.sending',
      'wait_stored',
      'upload_complete',
    ]);
    expect(stored.outcome).toMatchObject({ ok: true, outcome: 'stored' });
    expect(
      (await replay(shareClient(memoryLocalFile(content), input('put', 5000)), [PASS, PEER_RESETS])).outcome,
    ).toMatchObject({ outcome: 'not_stored' });
  });

  it('reports cancel without waiting, and writes nothing', async () => {
    const local = memoryLocalFile();
    const result = await replay(shareClient(local, input('get')), [CANCEL]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'cancelled' });
    expect(local.stored).toBeUndefined();
  });

  it('fails with protocol.violation and resets on an answer that is neither pass nor cancel, writing nothing', async () => {
    const local = memoryLocalFile();
    const result = await replay(shareClient(local, input('get')), [Buffer.from('HTTP/1.1 400')]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'protocol_error', code: 'protocol.violation' });
    expect(result.closed).toBe('reset');
    expect(local.stored).toBeUndefined();
  });

  it('reads a listing until the server closes', async () => {
    const client = shareClient(memoryLocalFile(), input('list'));
    const result = await replay(client, [Buffer.from('a.txt, '), Buffer.from('b.txt, '), PEER_ENDS]);
    expect(result.sent.toString()).toBe('list');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'listed', bytes: 14 });
  });
});

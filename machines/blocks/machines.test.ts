/** The `blocks` machines and the client's reply reader, driven by scripted bytes (no sockets). */
import { PEER_ENDS, PEER_RESETS, replay, type ReplayInput } from '../../src/engine/replay';
import { MemoryFiles } from '../../src/storage/memory-files';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { encodeErr, encodeFileRequest, encodeOk, parseHeader } from './codec';
import { BlocksReplyReader } from './reply-reader';
import { blocksClient, blocksServer } from '.';
import { everySplit, decodeAll } from '../../src/test-support/cuts';

const content = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
const serverWith = (files: MemoryFiles, inputs: ReplayInput[]) =>
  replay(blocksServer(files, { maxRequest: 4096 }).accept('c1'), inputs);

const frames = (...chunks: Buffer[]) => decodeAll(new BlocksReplyReader(), chunks);

describe('codec and reply reader', () => {
  it('reads the answer line', () => {
    expect(parseHeader('OK 3000')).toEqual({ kind: 'ok', size: 3000 });
    expect(parseHeader('ERR no such file')).toEqual({ kind: 'err', reason: 'no such file' });
    expect(parseHeader('OK -1').kind).toBe('bad');
    expect(parseHeader('OK 10000000000000000')).toEqual({ kind: 'ok', size: 1e16 });
    expect(parseHeader('OK 1e3').kind).toBe('bad');
    expect(encodeErr('two\nlines').toString()).toBe('ERR two lines\n');
  });

  it.each(everySplit(Buffer.concat([encodeOk(5), Buffer.from('hello')])))(
    'splits header and file bytes however they are cut (%#)',
    (first, second) => {
      const out = frames(first, second);
      expect(out[0]).toEqual({ type: 'frame.ok', size: 5 });
      expect(out.at(-1)).toEqual({ type: 'frame.data_end' });
      const data = out
        .filter((frame) => frame.type === 'frame.data')
        .map((frame) => (frame as { chunk: Buffer }).chunk);
      expect(Buffer.concat(data).toString()).toBe('hello');
    },
  );

  it('reports bytes past the announced size, an error answer, and an answer line that never ends', () => {
    expect(frames(Buffer.from('OK 2\nabc')).at(-1)).toEqual({
      type: 'frame.bad',
      detail: '1 bytes after the announced size',
    });
    expect(frames(Buffer.from('ERR busy\n'))).toEqual([{ type: 'frame.err', reason: 'busy' }]);
    expect(frames(Buffer.alloc(300, 0x41))[0].type).toBe('frame.bad');
    expect(frames(Buffer.from('OK 0\n'))).toEqual([{ type: 'frame.ok', size: 0 }, { type: 'frame.data_end' }]);
  });
});

describe('blocks server', () => {
  it.each(everySplit(encodeFileRequest('notes.bin')))(
    'sends OK and the file for a name cut anywhere (%#)',
    async (first, second) => {
      const result = await serverWith(new MemoryFiles({ 'notes.bin': content }), [first, second]);
      expect(result.sent).toEqual(Buffer.concat([encodeOk(3000), content]));
      expect(result.states).toEqual(['client_connect', 'check_file', 'send_file.sending', 'send_complete']);
      expect(result.closed).toBe('end');
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'sent', bytes: 3000 });
    },
  );

  it('answers ERR for a missing file and for a name outside its folder', async () => {
    const missing = await serverWith(new MemoryFiles(), [encodeFileRequest('nope')]);
    expect(missing.sent.toString()).toBe('ERR no such file\n');
    expect(missing.states).toEqual(['client_connect', 'check_file', 'send_refusal', 'request_complete']);
    expect(missing.outcome).toMatchObject({ ok: false, outcome: 'refused' });
    const escape = await serverWith(new MemoryFiles(), [encodeFileRequest('../etc/passwd')]);
    expect(escape.sent.toString()).toBe('ERR a name that leads out of the served folder\n');
  });

  it('releases the file when the client goes away mid-file', async () => {
    const files = new MemoryFiles({ 'notes.bin': content });
    await serverWith(files, [encodeFileRequest('notes.bin'), PEER_RESETS]);
    expect(files.holds.size).toBe(0);
  });
});

describe('blocks client', () => {
  const client = (inputs: ReplayInput[], local = memoryLocalFile()) =>
    replay(blocksClient(local, { serverName: 'notes.bin' }), inputs).then((result) => ({ result, local }));

  it.each(everySplit(Buffer.concat([encodeOk(3000), content])).filter((_, at) => at % 97 === 0))(
    'stores exactly the announced bytes however they are cut (%#)',
    async (first, second) => {
      const { result, local } = await client([first, second, PEER_ENDS]);
      expect(result.sent).toEqual(encodeFileRequest('notes.bin'));
      expect(result.states).toEqual([
        'send_request',
        'wait_answer',
        'check_room',
        'receiving_blocks.receiving',
        'receiving_blocks.wait_peer_end',
        'receiving_blocks.storing',
        'download_complete',
      ]);
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'downloaded', bytes: 3000 });
      expect(local.stored).toEqual(content);
    },
  );

  it('refuses an announced size that does not fit in the free space, before writing anything', async () => {
    const { result, local } = await client([encodeOk(3000), content, PEER_ENDS], memoryLocalFile(undefined, 2999));
    expect(result.outcome).toMatchObject({
      ok: false,
      outcome: 'local_error',
      detail: 'not enough free space for 3000 bytes',
    });
    expect(result.closed).toBe('reset');
    expect(local.stored).toBeUndefined();
  });

  it('stores nothing when the server sends more than it announced', async () => {
    const { result, local } = await client([encodeOk(3000), content, Buffer.from('X'), PEER_ENDS]);
    expect(result.outcome).toMatchObject({
      ok: false,
      outcome: 'protocol_error',
      detail: '1 bytes after the announced size',
    });
    expect(local.stored).toBeUndefined();
  });

  it('stores nothing when the server closes short of the announced size', async () => {
    const { result, local } = await client([encodeOk(3000), content.subarray(0, 1000), PEER_ENDS]);
    expect(result.outcome).toMatchObject({
      ok: false,
      outcome: 'interrupted',
      detail: 'the server closed after 1000 of 3000 bytes',
    });
    expect(local.stored).toBeUndefined();
  });

  it('reports an ERR answer as a refusal and writes no file', async () => {
    const { result, local } = await client([Buffer.from('ERR no such file\n'), PEER_ENDS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'refused', detail: 'no such file' });
    expect(local.stored).toBeUndefined();
  });

  it('rejects an answer that is neither OK nor ERR', async () => {
    const { result } = await client([Buffer.from('HTTP/1.1 400 Bad Request\r\n'), PEER_ENDS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'protocol_error' });
  });
});

import { PEER_ENDS, replay, type ReplayInput } from '../../src/engine/replay';
import { MemoryFiles } from '../../src/storage/memory-files';
import { OP, STATUS, encodeDownloadReply, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import { transferServer } from '.';

const T = encodeStatus(STATUS.yes);
const F = encodeStatus(STATUS.no);
const E = encodeStatus(STATUS.error);

function rawRequest(op: number, nameBytes: Buffer): Buffer {
  const frame = Buffer.alloc(256);
  frame[0] = op;
  nameBytes.copy(frame, 1);
  return frame;
}

function serve(files: MemoryFiles, inputs: ReplayInput[], options: { maxUploadSize?: number } = {}) {
  const protocol = transferServer(files, { maxUploadSize: options.maxUploadSize ?? Number.MAX_SAFE_INTEGER });
  return replay(protocol.accept('c1'), inputs);
}

describe('transfer server machine: download', () => {
  it('sends T + size, waits for T, sends the bytes and ends cleanly', async () => {
    const files = new MemoryFiles({ 'speech.txt': 'four score' });
    const result = await serve(files, [encodeRequest(OP.download, 'speech.txt'), T]);
    expect(result.sent).toEqual(Buffer.concat([encodeDownloadReply(STATUS.yes, 10), Buffer.from('four score')]));
    expect(result.states).toEqual([
      'client_connect',
      'check_download',
      'send_check_download',
      'check_download_confirmation',
      'downloading.sending',
      'download_complete',
    ]);
    expect(result.closed).toBe('end');
    expect(result.outcome).toEqual({ ok: true, outcome: 'downloaded', code: 'ok', bytes: 10, detail: undefined });
    expect(files.holds.size).toBe(0);
  });

  it.each([
    ['surrounded by white space', Buffer.from('  up.bin \t')],
    ['with a NUL inside', Buffer.from('up\0.bin')],
  ])('serves the name the original server reads from one %s', async (_case, name) => {
    const result = await serve(new MemoryFiles({ 'up.bin': 'abc' }), [rawRequest(OP.download, name), T]);
    expect(result.sent).toEqual(Buffer.concat([encodeDownloadReply(STATUS.yes, 3), Buffer.from('abc')]));
  });

  it('answers F + 0 for a missing file and closes', async () => {
    const result = await serve(new MemoryFiles(), [encodeRequest(OP.download, 'nope')]);
    expect(result.sent).toEqual(encodeDownloadReply(STATUS.no, 0));
    expect(result.states).toEqual(['client_connect', 'check_download', 'download_complete']);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'refused', detail: 'no such file' });
  });

  it('answers F for a name another connection is uploading', async () => {
    const files = new MemoryFiles({ busy: 'x' });
    files.holds.claim('busy', 'uploader');
    const result = await serve(files, [encodeRequest(OP.download, 'busy')]);
    expect(result.sent).toEqual(encodeDownloadReply(STATUS.no, 0));
    expect(result.outcome).toMatchObject({ outcome: 'refused', detail: 'another connection is using that name' });
  });

  it.each([
    [
      'a name leaving the root',
      Buffer.from('../etc/passwd'),
      'name.escapes',
      'a name that leads out of the served folder',
    ],
    ['an absolute name', Buffer.from('/etc/passwd'), 'name.escapes', 'a name that leads out of the served folder'],
    ['a name that is not UTF-8', Buffer.from([0xff, 0xfe]), 'name.encoding', 'a name that is not UTF-8'],
  ])(
    "answers E + 0 for %s, and ends as the client's error (protocol_error), not a refusal",
    async (_case, name, code, detail) => {
      const result = await serve(new MemoryFiles({ b: 'x' }), [rawRequest(OP.download, name)]);
      expect(result.sent).toEqual(encodeDownloadReply(STATUS.error, 0));
      expect(result.outcome).toMatchObject({ ok: false, outcome: 'protocol_error', code, detail });
    },
  );

  it('stops when the client declines with F', async () => {
    const result = await serve(new MemoryFiles({ a: 'abc' }), [encodeRequest(OP.download, 'a'), F]);
    expect(result.sent).toEqual(encodeDownloadReply(STATUS.yes, 3));
    expect(result.states.slice(-1)).toEqual(['download_complete']);
    expect(result.outcome).toMatchObject({ outcome: 'cancelled', bytes: 0 });
  });

  it('resets on a confirmation byte that is neither T nor F', async () => {
    const result = await serve(new MemoryFiles({ a: 'abc' }), [encodeRequest(OP.download, 'a'), Buffer.from('X')]);
    expect(result.closed).toBe('reset');
    expect(result.outcome).toMatchObject({ outcome: 'protocol_error' });
  });

  it('sends a 0-byte file as T + 0 and nothing more', async () => {
    const result = await serve(new MemoryFiles({ empty: '' }), [encodeRequest(OP.download, 'empty'), T]);
    expect(result.sent).toEqual(encodeDownloadReply(STATUS.yes, 0));
    expect(result.outcome).toMatchObject({ outcome: 'downloaded', bytes: 0 });
  });
});

describe('transfer server machine: upload', () => {
  const upload = (name: string, content: Buffer) => [
    encodeRequest(OP.upload, name),
    encodeUploadSize(content.length),
    content,
  ];

  it('answers T, T, stores every byte and only then ends cleanly', async () => {
    const files = new MemoryFiles();
    const content = Buffer.from('the bytes');
    const result = await serve(files, upload('new.txt', content));
    expect(result.sent).toEqual(Buffer.concat([T, T]));
    expect(result.states).toEqual([
      'client_connect',
      'check_upload',
      'send_check_upload',
      'check_file_upload_size',
      'check_upload_space',
      'send_file_upload_size_response',
      'uploading.receiving',
      'uploading.storing',
      'upload_complete',
    ]);
    expect(result.closed).toBe('end');
    expect(files.files.get('new.txt')).toEqual(content);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'uploaded', bytes: content.length });
  });

  it('answers F when the name exists, and leaves the file alone', async () => {
    const files = new MemoryFiles({ taken: 'old' });
    const result = await serve(files, upload('taken', Buffer.from('new')));
    expect(result.sent).toEqual(F);
    expect(result.outcome).toMatchObject({ outcome: 'refused', detail: 'a file of that name exists' });
    expect(files.files.get('taken')).toEqual(Buffer.from('old'));
  });

  it('answers F when another connection is uploading the name', async () => {
    const files = new MemoryFiles();
    files.holds.claim('same', 'c0');
    const result = await serve(files, upload('same', Buffer.from('x')));
    expect(result.sent).toEqual(F);
    expect(result.outcome).toMatchObject({ outcome: 'refused', detail: 'another connection is using that name' });
  });

  it("answers E for a name leaving the root, and ends as the client's error (protocol_error)", async () => {
    const result = await serve(new MemoryFiles(), upload('../x', Buffer.from('x')));
    expect(result.sent).toEqual(E);
    expect(result.outcome).toMatchObject({
      outcome: 'protocol_error',
      code: 'name.escapes',
      detail: 'a name that leads out of the served folder',
    });
  });

  it('answers F at the size frame when the size is over the limit or there is no room', async () => {
    const overLimit = await serve(new MemoryFiles(), upload('big', Buffer.alloc(11)), { maxUploadSize: 10 });
    expect(overLimit.sent).toEqual(Buffer.concat([T, F]));
    expect(overLimit.states.slice(-2)).toEqual(['check_file_upload_size', 'upload_complete']);
    const noRoom = await serve(new MemoryFiles({}, { capacity: 5 }), upload('big', Buffer.alloc(6)));
    expect(noRoom.sent).toEqual(Buffer.concat([T, F]));
    expect(noRoom.outcome).toMatchObject({ outcome: 'refused', detail: 'no room' });
  });

  it('an upload cut short leaves no file, frees the name and resets', async () => {
    const files = new MemoryFiles();
    const [request, size] = upload('partial', Buffer.alloc(100));
    const result = await serve(files, [request, size, Buffer.alloc(40), PEER_ENDS]);
    expect(result.closed).toBe('reset');
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'interrupted', bytes: 40 });
    expect(files.files.has('partial')).toBe(false);
    expect(files.open).toBe(0);
    expect(files.holds.size).toBe(0);
  });

  it('resets when the upload cannot be stored, so the client never mistakes it for success', async () => {
    const files = new MemoryFiles({}, { commitError: 'ENOSPC' });
    const result = await serve(files, upload('full.bin', Buffer.from('data')));
    expect(result.sent).toEqual(Buffer.concat([T, T]));
    expect(result.closed).toBe('reset');
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'not_stored', detail: 'ENOSPC' });
    expect(files.files.has('full.bin')).toBe(false);
  });

  it('stores a 0-byte upload', async () => {
    const files = new MemoryFiles();
    const result = await serve(files, upload('empty', Buffer.alloc(0)));
    expect(result.outcome).toMatchObject({ outcome: 'uploaded', bytes: 0 });
    expect(files.files.get('empty')).toEqual(Buffer.alloc(0));
  });
});

describe('transfer server machine: bad input', () => {
  it('resets on an unknown operation without replying', async () => {
    const result = await serve(new MemoryFiles(), [rawRequest(0x58, Buffer.from('x'))]);
    expect(result.sent.length).toBe(0);
    expect(result.closed).toBe('reset');
    expect(result.outcome).toMatchObject({ outcome: 'protocol_error' });
  });

  it('treats a client that leaves mid-request as interrupted', async () => {
    const result = await serve(new MemoryFiles(), [Buffer.alloc(100), PEER_ENDS]);
    expect(result.sent.length).toBe(0);
    expect(result.outcome).toMatchObject({ outcome: 'interrupted' });
  });

  it('stores exactly the announced size of an upload, never the bytes past it', async () => {
    const files = new MemoryFiles({ a: 'abc' });
    const result = await serve(files, [encodeRequest(OP.upload, 'b'), encodeUploadSize(1), Buffer.from('xyz')]);
    expect(result.outcome).toMatchObject({ outcome: 'uploaded' });
    expect(files.files.get('b')).toEqual(Buffer.from('x'));
  });
});

/** The hello between two wirestate peers, and the plain fallback a wirestate client makes without a reply. */
import { createHash } from 'node:crypto';
import { PEER_ENDS, replay } from '../../src/engine/replay';
import { MemoryFiles } from '../../src/storage/memory-files';
import { memoryLocalFile } from '../../src/storage/memory-local-file';
import { OP, STATUS, encodeDownloadReply, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import {
  CAPABILITY,
  EXT_OP,
  HELLO_WAIT_MS,
  encodeExtDownloadReply,
  encodeHello,
  encodeHelloReply,
} from './extension-frames';
import { transferClient, transferServer } from '.';

const T = encodeStatus(STATUS.yes);
const t = Buffer.from('t');
const helloReply = (capabilities: number) =>
  encodeHelloReply({ version: 1, capabilities, maxUploadSize: Number.MAX_SAFE_INTEGER, keepPartialSeconds: 0 });

describe('transfer server: a client that says hello', () => {
  const serve = (files: MemoryFiles, capabilities: number, inputs: Buffer[]) =>
    replay(transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER, capabilities }).accept('c1'), inputs);

  it('answers the hello at once with the capabilities both have, then serves an extension download', async () => {
    const files = new MemoryFiles({ 'a.txt': 'hello' });
    const offered = CAPABILITY.stored | CAPABILITY.list | CAPABILITY.resume;
    const result = await serve(files, CAPABILITY.stored | CAPABILITY.sha256, [
      encodeHello(offered),
      encodeRequest(EXT_OP.download, 'a.txt'),
      T,
    ]);
    expect(result.sent).toEqual(
      Buffer.concat([helloReply(CAPABILITY.stored), encodeExtDownloadReply(5, 0), Buffer.from('hello')]),
    );
    expect(result.states.slice(0, 4)).toEqual(['client_connect', 'hello', 'client_connect', 'check_download']);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'downloaded' });
  });

  it('answers a plain request after a hello plainly (a client that fell back before the reply came)', async () => {
    const files = new MemoryFiles({ 'a.txt': 'hello' });
    const result = await serve(files, 0, [encodeHello(0), encodeRequest(OP.download, 'a.txt'), T]);
    expect(result.sent).toEqual(
      Buffer.concat([helloReply(0), encodeDownloadReply(STATUS.yes, 5), Buffer.from('hello')]),
    );
  });

  it('says t to an extension upload and T to a plain one', async () => {
    const extension = await serve(new MemoryFiles(), 0, [
      encodeHello(0),
      encodeRequest(EXT_OP.upload, 'up.bin'),
      encodeUploadSize(2),
      Buffer.from('hi'),
    ]);
    expect(extension.sent).toEqual(Buffer.concat([helloReply(0), t, t]));
    const plain = await serve(new MemoryFiles(), 0, [encodeRequest(OP.upload, 'up.bin'), encodeUploadSize(2)]);
    expect(plain.sent).toEqual(Buffer.concat([T, T]));
  });

  it.each([
    ['an extension request without a hello', [encodeRequest(EXT_OP.download, 'a.txt')]],
    ['a second hello', [encodeHello(0), encodeHello(0)]],
    ['a hello whose words are not wirestate/N', [Buffer.concat([Buffer.from('hnot wirestate'), Buffer.alloc(242)])]],
  ])('resets on %s', async (_case, inputs) => {
    const result = await serve(new MemoryFiles({ 'a.txt': 'x' }), 0, inputs);
    expect(result.closed).toBe('reset');
    expect(result.outcome).toMatchObject({ outcome: 'protocol_error', code: 'protocol.violation' });
  });
});

describe('transfer client: hello, then the extension or the plain protocol', () => {
  const download = (inputs: Parameters<typeof replay>[1]) =>
    replay(
      transferClient(memoryLocalFile(), {
        operation: 'download',
        serverName: 'a.txt',
        size: 0,
        hello: { capabilities: CAPABILITY.stored, waitMs: HELLO_WAIT_MS },
      }),
      inputs,
    );

  it('sends the hello alone, and the extension request once the reply comes', async () => {
    const result = await download([helloReply(0), encodeExtDownloadReply(5, 7), Buffer.from('hello'), PEER_ENDS]);
    expect(result.sent).toEqual(
      Buffer.concat([encodeHello(CAPABILITY.stored), encodeRequest(EXT_OP.download, 'a.txt'), T]),
    );
    expect(result.states.slice(0, 6)).toEqual([
      'hello',
      'send_hello',
      'wait_hello_reply',
      'choose_request',
      'init_download',
      'send_check_file_download',
    ]);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'downloaded', bytes: 5 });
  });

  it('sends nothing more until the wait has passed, then the plain request on the same connection', async () => {
    const waiting = await download([{ wait: HELLO_WAIT_MS - 1 }]);
    expect(waiting.sent).toEqual(encodeHello(CAPABILITY.stored));
    const result = await download([
      { wait: HELLO_WAIT_MS },
      encodeDownloadReply(STATUS.yes, 5),
      Buffer.from('hello'),
      PEER_ENDS,
    ]);
    expect(result.sent).toEqual(
      Buffer.concat([encodeHello(CAPABILITY.stored), encodeRequest(OP.download, 'a.txt'), T]),
    );
    expect(result.states).toContain('plain_fallback');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'downloaded', bytes: 5 });
  });

  it('passes over a hello reply that comes after the plain request, and goes on plainly', async () => {
    const result = await download([
      { wait: HELLO_WAIT_MS },
      helloReply(CAPABILITY.stored),
      encodeDownloadReply(STATUS.yes, 5),
      Buffer.from('hello'),
      PEER_ENDS,
    ]);
    expect(result.sent).toEqual(
      Buffer.concat([encodeHello(CAPABILITY.stored), encodeRequest(OP.download, 'a.txt'), T]),
    );
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'downloaded', bytes: 5 });
  });
});

describe('transfer client: a server that is neither original nor wirestate', () => {
  it('fails on a plain reply to the hello, a reply to a request it was never sent', async () => {
    const result = await replay(
      transferClient(memoryLocalFile(), {
        operation: 'download',
        serverName: 'a.txt',
        size: 0,
        hello: { capabilities: 0, waitMs: HELLO_WAIT_MS },
      }),
      [encodeDownloadReply(STATUS.yes, 5)],
    );
    expect(result.sent).toEqual(encodeHello(0));
    expect(result.closed).toBe('reset');
    expect(result.outcome).toMatchObject({ outcome: 'protocol_error', code: 'protocol.violation' });
  });
});

describe('stored confirmation (both agreed `stored`)', () => {
  const content = Buffer.from('hi');

  it('server: says t once the file is stored, then closes cleanly', async () => {
    const files = new MemoryFiles();
    const result = await replay(
      transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER, capabilities: CAPABILITY.stored }).accept('c1'),
      [encodeHello(CAPABILITY.stored), encodeRequest(EXT_OP.upload, 'up.bin'), encodeUploadSize(2), content],
    );
    expect(result.sent).toEqual(Buffer.concat([helloReply(CAPABILITY.stored), t, t, t]));
    expect(result.states.slice(-3)).toEqual(['uploading.storing', 'confirm_stored', 'upload_complete']);
    expect(result.closed).toBe('end');
    expect(files.files.get('up.bin')).toEqual(content);
  });

  it('server: a plain upload after the same hello ends as the seed, with no STORED_REPLY', async () => {
    const result = await replay(
      transferServer(new MemoryFiles(), {
        maxUploadSize: Number.MAX_SAFE_INTEGER,
        capabilities: CAPABILITY.stored,
      }).accept('c1'),
      [encodeHello(CAPABILITY.stored), encodeRequest(OP.upload, 'up.bin'), encodeUploadSize(2), content],
    );
    expect(result.sent).toEqual(Buffer.concat([helloReply(CAPABILITY.stored), T, T]));
    expect(result.states).not.toContain('confirm_stored');
  });

  const upload = (inputs: Parameters<typeof replay>[1]) =>
    replay(
      transferClient(memoryLocalFile(content), {
        operation: 'upload',
        serverName: 'up.bin',
        size: content.length,
        hello: { capabilities: CAPABILITY.stored, waitMs: HELLO_WAIT_MS },
      }),
      inputs,
    );

  it('client: succeeds on t', async () => {
    const result = await upload([helloReply(CAPABILITY.stored), t, t, t, PEER_ENDS]);
    expect(result.sent).toEqual(
      Buffer.concat([
        encodeHello(CAPABILITY.stored),
        encodeRequest(EXT_OP.upload, 'up.bin'),
        encodeUploadSize(2),
        content,
      ]),
    );
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'uploaded' });
  });

  it('client: a clean close without t is not stored (a server killed before its store)', async () => {
    const result = await upload([helloReply(CAPABILITY.stored), t, t, PEER_ENDS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'not_stored', code: 'peer.ended_early' });
  });

  it('client: without `stored` agreed, the clean close still means stored, as in the seed', async () => {
    const result = await upload([helloReply(0), t, t, PEER_ENDS]);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'uploaded' });
  });
});

describe('integrity (both agreed `sha256`)', () => {
  const both = CAPABILITY.stored | CAPABILITY.sha256;
  const content = Buffer.from('hello');
  const digestOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest();
  const server = (files: MemoryFiles, inputs: Buffer[]) =>
    replay(transferServer(files, { maxUploadSize: Number.MAX_SAFE_INTEGER, capabilities: both }).accept('c1'), inputs);
  const uploadTo = (digest: Buffer) => [
    encodeHello(both),
    encodeRequest(EXT_OP.upload, 'up.bin'),
    encodeUploadSize(content.length),
    content,
    digest,
  ];

  it('server: stores an upload whose DIGEST matches, and says t', async () => {
    const files = new MemoryFiles();
    const result = await server(files, uploadTo(digestOf(content)));
    expect(result.sent).toEqual(Buffer.concat([helloReply(both), t, t, t]));
    expect(result.states).toContain('uploading.wait_digest');
    expect(files.files.get('up.bin')).toEqual(content);
  });

  it('server: keeps nothing of an upload whose DIGEST does not match, and says C', async () => {
    const files = new MemoryFiles();
    const result = await server(files, uploadTo(digestOf(Buffer.from('hellO'))));
    expect(result.sent).toEqual(Buffer.concat([helloReply(both), t, t, Buffer.from('C')]));
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'corrupted', code: 'file.digest_mismatch' });
    expect(files.files.has('up.bin')).toBe(false);
  });

  it('server: follows a download with its DIGEST', async () => {
    const result = await server(new MemoryFiles({ 'a.txt': content }), [
      encodeHello(both),
      encodeRequest(EXT_OP.download, 'a.txt'),
      T,
    ]);
    expect(result.sent).toEqual(
      Buffer.concat([helloReply(both), encodeExtDownloadReply(5, 0), content, digestOf(content)]),
    );
  });

  const download = (local: ReturnType<typeof memoryLocalFile>, digest: Buffer) =>
    replay(
      transferClient(local, {
        operation: 'download',
        serverName: 'a.txt',
        size: 0,
        hello: { capabilities: both, waitMs: HELLO_WAIT_MS },
      }),
      [helloReply(both), encodeExtDownloadReply(5, 0), content, digest, PEER_ENDS],
    );

  it('client: keeps a download whose DIGEST matches', async () => {
    const local = memoryLocalFile();
    const result = await download(local, digestOf(content));
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'downloaded' });
    expect(local.stored).toEqual(content);
  });

  it('client: keeps nothing of a download whose DIGEST does not match', async () => {
    const local = memoryLocalFile();
    const result = await download(local, digestOf(Buffer.from('hellO')));
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'corrupted', code: 'file.digest_mismatch' });
    expect(local.stored).toBeUndefined();
  });

  it('client: follows an upload with its DIGEST, and reports C as corrupted', async () => {
    const result = await replay(
      transferClient(memoryLocalFile(content), {
        operation: 'upload',
        serverName: 'up.bin',
        size: content.length,
        hello: { capabilities: both, waitMs: HELLO_WAIT_MS },
      }),
      [helloReply(both), t, t, Buffer.from('C'), PEER_ENDS],
    );
    expect(result.sent.subarray(-37)).toEqual(Buffer.concat([content, digestOf(content)]));
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'corrupted', code: 'file.digest_mismatch' });
  });
});

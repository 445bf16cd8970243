import { PEER_ENDS, PEER_RESETS, replay, type ReplayInput } from '../../src/engine/replay';
import { memoryLocalFile, type MemoryLocalFile } from '../../src/storage/memory-local-file';
import { OP, STATUS, encodeDownloadReply, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import { transferClient } from '.';

const T = encodeStatus(STATUS.yes);
const F = encodeStatus(STATUS.no);
const E = encodeStatus(STATUS.error);

function download(local: MemoryLocalFile, server: ReplayInput[]) {
  return replay(transferClient(local, { operation: 'download', serverName: 'speech.txt', size: 0 }), server);
}

function upload(content: Buffer, server: ReplayInput[]) {
  const local = memoryLocalFile(content);
  return replay(transferClient(local, { operation: 'upload', serverName: 'up.txt', size: content.length }), server);
}

describe('transfer client machine: download', () => {
  it('asks, confirms with T, stores the bytes and ends', async () => {
    const local = memoryLocalFile();
    const result = await download(local, [encodeDownloadReply(STATUS.yes, 5), Buffer.from('hello'), PEER_ENDS]);
    expect(result.sent).toEqual(Buffer.concat([encodeRequest(OP.download, 'speech.txt'), T]));
    expect(result.states).toEqual([
      'init_download',
      'send_check_file_download',
      'check_download',
      'prepare_download_confirmation',
      'confirm_download',
      'downloading.receiving',
      'downloading.wait_peer_end',
      'downloading.storing',
      'download_complete',
    ]);
    expect(local.stored).toEqual(Buffer.from('hello'));
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'downloaded', bytes: 5 });
  });

  it.each([
    ['F', STATUS.no, 'refused'],
    ['E', STATUS.error, 'server_error'],
  ])('reports %s from the server and stores nothing', async (_letter, status, outcome) => {
    const local = memoryLocalFile();
    const result = await download(local, [encodeDownloadReply(status, 0), PEER_ENDS]);
    expect(result.sent).toEqual(encodeRequest(OP.download, 'speech.txt'));
    expect(result.states.slice(-1)).toEqual(['download_complete']);
    expect(result.outcome).toMatchObject({ ok: false, outcome });
    expect(local.stored).toBeUndefined();
  });

  it('declines with F when the file would not fit', async () => {
    const local = memoryLocalFile(undefined, 4);
    const result = await download(local, [encodeDownloadReply(STATUS.yes, 5)]);
    expect(result.sent).toEqual(Buffer.concat([encodeRequest(OP.download, 'speech.txt'), F]));
    expect(result.outcome).toMatchObject({ outcome: 'no_room' });
  });

  it("declines with F, storage.failed, when the disk cannot say whether the file fits (statfs's EIO)", async () => {
    const local: MemoryLocalFile = Object.assign(memoryLocalFile(), {
      hasRoomFor: () => {
        throw Object.assign(new Error('statfs failed'), { code: 'EIO' });
      },
    });
    const result = await download(local, [encodeDownloadReply(STATUS.yes, 5)]);
    expect(result.sent).toEqual(Buffer.concat([encodeRequest(OP.download, 'speech.txt'), F]));
    expect(result.states.slice(-2)).toEqual(['prepare_download_confirmation', 'download_complete']);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'local_error', code: 'storage.failed', detail: 'EIO' });
    expect(local.stored).toBeUndefined();
  });

  it('keeps nothing when the server sends more than it announced', async () => {
    const local = memoryLocalFile();
    const result = await download(local, [encodeDownloadReply(STATUS.yes, 5), Buffer.from('hello!'), PEER_ENDS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'protocol_error', detail: '1 unexpected bytes' });
    expect(local.stored).toBeUndefined();
  });

  it('reports a transfer cut short as interrupted and keeps nothing', async () => {
    const local = memoryLocalFile();
    const result = await download(local, [encodeDownloadReply(STATUS.yes, 10), Buffer.from('hel'), PEER_ENDS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'interrupted', bytes: 3 });
    expect(local.stored).toBeUndefined();
  });
});

describe('transfer client machine: upload', () => {
  it('asks, sends the size then the bytes, and succeeds on the server clean close', async () => {
    const content = Buffer.from('upload me');
    const result = await upload(content, [T, T, PEER_ENDS]);
    expect(result.sent).toEqual(
      Buffer.concat([encodeRequest(OP.upload, 'up.txt'), encodeUploadSize(content.length), content]),
    );
    expect(result.states).toEqual([
      'init_upload',
      'send_check_file_upload',
      'check_upload',
      'prepare_upload_file_size',
      'send_upload_file_size',
      'process_upload_file_size_response',
      'uploading.sending',
      'wait_upload_stored',
      'upload_complete',
    ]);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'uploaded', bytes: content.length });
  });

  it('does not claim success while the server has not closed', async () => {
    const result = await upload(Buffer.from('x'), [T, T]);
    expect(result.states.slice(-1)).toEqual(['wait_upload_stored']);
    expect(result.outcome).toBeUndefined();
  });

  it('reports not_stored when the server resets after the data', async () => {
    const result = await upload(Buffer.from('x'), [T, T, PEER_RESETS]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'not_stored' });
  });

  it.each([
    ['the name', [F], 'refused', 'check_upload'],
    ['the size', [T, F], 'refused', 'process_upload_file_size_response'],
    ['the name with E', [E], 'server_error', 'check_upload'],
  ])('stops when the server refuses %s', async (_what, replies, outcome, decidedIn) => {
    const result = await upload(Buffer.from('x'), [...replies, PEER_ENDS]);
    expect(result.states.slice(-2)).toEqual([decidedIn, 'upload_complete']);
    expect(result.outcome).toMatchObject({ ok: false, outcome });
  });

  it('resets on a reply byte that is not T, F or E', async () => {
    const result = await upload(Buffer.from('x'), [Buffer.from('?')]);
    expect(result.closed).toBe('reset');
    expect(result.outcome).toMatchObject({ outcome: 'protocol_error' });
  });
});

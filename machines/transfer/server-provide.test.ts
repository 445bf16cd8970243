/**
 * The server machine is a definition whose effects come through `provide`,
 * so a test can swap one actor and keep the rest real.
 */
import { fromPromise } from 'xstate';
import type { FileTarget } from '../../src/engine/file-actors';
import { replay } from '../../src/engine/replay';
import { MemoryFiles } from '../../src/storage/memory-files';
import { OP, STATUS, encodeDownloadReply, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import { TransferFrameReader } from './frame-reader';
import { transferServerMachine } from './server';
import { serverActors, serverLookups } from './server-actors';

const T = encodeStatus(STATUS.yes);
const input = { owner: 'c1', maxUploadSize: Number.MAX_SAFE_INTEGER };

function serve(logic: typeof transferServerMachine) {
  return replay({ logic, input, decoder: new TransferFrameReader('server') }, [
    encodeRequest(OP.upload, 'a.bin'),
    encodeUploadSize(4),
    Buffer.from('data'),
  ]);
}

describe('transfer server machine: effects supplied by provide', () => {
  it('with one actor swapped (a free-space check the disk fails), answers F and ends with storage.failed, files untouched', async () => {
    const files = new MemoryFiles();
    const failingDisk = fromPromise<boolean, FileTarget>(() =>
      Promise.reject(Object.assign(new Error('disk gone'), { code: 'EIO' })),
    );
    const result = await serve(
      transferServerMachine.provide({
        actors: { ...serverActors(files), checkRoom: failingDisk },
        actions: serverLookups(files),
      }),
    );
    expect(result.sent).toEqual(Buffer.concat([T, encodeStatus(STATUS.no)]));
    expect(result.states).toEqual([
      'client_connect',
      'check_upload',
      'send_check_upload',
      'check_file_upload_size',
      'check_upload_space',
      'upload_complete',
    ]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'server_error', code: 'storage.failed', detail: 'EIO' });
    expect(files.files.has('a.bin')).toBe(false);
  });

  it.each([
    ['download', OP.download, 'check_download', encodeDownloadReply(STATUS.error, 0)],
    ['upload', OP.upload, 'check_upload', encodeStatus(STATUS.error)],
  ])('a store whose %s lookup throws (EIO): answered E, storage.failed, nothing held', async (_, op, state, reply) => {
    const files = new MemoryFiles({ 'a.bin': 'data' });
    const broken = Object.create(files) as MemoryFiles;
    const eio = () => {
      throw Object.assign(new Error('i/o error'), { code: 'EIO' });
    };
    broken.lookupDownload = eio;
    broken.reserveUpload = eio;
    const result = await replay(
      {
        logic: transferServerMachine.provide({ actors: serverActors(broken), actions: serverLookups(broken) }),
        input,
        decoder: new TransferFrameReader('server'),
      },
      [encodeRequest(op, 'a.bin')],
    );
    expect(result.sent).toEqual(reply);
    expect(result.states).toEqual([
      'client_connect',
      state,
      op === OP.download ? 'download_complete' : 'upload_complete',
    ]);
    expect(result.outcome).toMatchObject({ ok: false, outcome: 'server_error', code: 'storage.failed', detail: 'EIO' });
    expect(files.holds.release('c1')).toEqual([]);
  });
});

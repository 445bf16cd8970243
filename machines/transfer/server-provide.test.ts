/**
 * The server machine is a definition whose effects come through `provide`,
 * so a test can swap one actor and keep the rest real.
 */
import { fromPromise } from 'xstate';
import type { FileTarget } from '../../src/engine/file-actors';
import { replay } from '../../src/engine/replay';
import { MemoryFiles } from '../../src/storage/memory-files';
import { OP, STATUS, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import { TransferFrameReader } from './frame-reader';
import { transferServerMachine } from './server';
import { serverActors } from './server-actors';

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
      transferServerMachine.provide({ actors: { ...serverActors(files), checkRoom: failingDisk } }),
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
});

/**
 * The transfer sessions `npm run fixtures` records, one or two per path of the
 * two machines: direct, through the stammer proxy, and with the extensions
 * (docs/protocol-extensions.md: integrity, listing, resume). fixtures.test.ts
 * replays each.
 */
import { join } from 'node:path';
import { FILE_TIME, type FixturePeer, type FixtureScenario } from '../fixture-scenario';
import type { ServerFiles } from '../../src/storage/file-store';
import { keptDownloadTag } from '../../src/storage/kept-download';
import { localFile } from '../../src/storage/local-file';
import { resumeNameFor } from '../../src/storage/resume-names';
import type { ClientInput } from './client';
import { transferClient, transferServer } from './connections';
import { CAPABILITY, EXT_OP, HELLO_WAIT_MS, IMPLEMENTED, encodeHello } from './extension-frames';
import { OP, STATUS, encodeRequest, encodeStatus, encodeUploadSize } from './frames';
import { encodeListRequest } from './list-frames';

const SPEECH = 'Four score and seven years ago our fathers brought forth on this continent a new nation.\n';
/** The client's folder in every scenario, besides a scenario's own `local`. */
const LOCAL = { 'speech.txt': SPEECH, 'empty.txt': '' };

const download = (serverName: string): ClientInput => ({ operation: 'download', serverName, size: 0 });
const upload = (serverName: string, size: number): ClientInput => ({ operation: 'upload', serverName, size });
/** The same, saying hello first as `wirestate client` does. */
const HELLO = { hello: { capabilities: IMPLEMENTED, waitMs: HELLO_WAIT_MS } };
const LIST: ClientInput = { operation: 'list', serverName: '', size: 0, ...HELLO };

/** A resume's kept bytes: NULs, which is what a replay, knowing none of them, rebuilds them as. */
const KEPT = '\0'.repeat(20);
const RESUMED = KEPT + SPEECH;
const UPLOAD_ID = '00112233445566778899aabbccddeeff';
/** What the client kept of a download of the server's `speech.txt` (RESUMED, dated FILE_TIME). */
const KEPT_DOWNLOAD = resumeNameFor(
  'speech.txt',
  keptDownloadTag(`${RESUMED.length}-${FILE_TIME.getTime()}`, 'speech.txt'),
);
/** The client offers to resume KEPT of a RESUMED file dated `mtimeMs`. */
const resumeFrom = (mtimeMs: number) => ({ resume: { offset: KEPT.length, size: RESUMED.length, mtimeMs } });

/** The client machine moving `localName` in the client's folder as `input` says (keeping what a download leaves under the server's name). */
const client = (input: ClientInput, localName: string) => (peer: FixturePeer) =>
  peer.client(transferClient(localFile(join(peer.local, localName), input.serverName), input));

interface TransferScenario extends Omit<FixtureScenario, 'server'> {
  maxUploadSize?: number;
  /** Every commit fails as on a full disk. */
  diskFull?: boolean;
  /** The extensions the server offers (default: all it implements, resume only with `resumeKeep`). */
  capabilities?: number;
  /** The server keeps interrupted uploads this many seconds (`--resume-keep`) and so offers `resume`. */
  resumeKeep?: number;
}

/** A raw peer holds `busy.txt` for an upload while the client asks for it. */
const whileHeld = (then: (peer: FixturePeer) => Promise<unknown>) => async (peer: FixturePeer) => {
  const holder = await peer.connect(encodeRequest(OP.upload, 'busy.txt'), encodeUploadSize(1000));
  await holder.received(2);
  await then(peer);
  holder.destroy();
};

const scenarios: TransferScenario[] = [
  { name: 'download-ok', files: { 'speech.txt': SPEECH }, run: client(download('speech.txt'), 'speech.txt') },
  { name: 'download-empty', files: { 'empty.txt': '' }, run: client(download('empty.txt'), 'empty.txt') },
  { name: 'download-missing', run: client(download('missing.txt'), 'missing.txt') },
  { name: 'download-escaping-name', run: client(download('../secret.txt'), 'secret.txt') },
  {
    name: 'download-busy',
    connections: 2,
    serverTrace: 2,
    run: whileHeld(client(download('busy.txt'), 'busy.txt')),
  },
  {
    name: 'download-cancelled-by-client',
    files: { 'speech.txt': SPEECH },
    run: async (peer) => {
      const raw = await peer.connect(encodeRequest(OP.download, 'speech.txt'));
      await raw.received(9);
      await raw.end(encodeStatus(STATUS.no));
    },
  },
  { name: 'upload-ok', run: client(upload('new.txt', SPEECH.length), 'speech.txt') },
  { name: 'upload-empty', run: client(upload('new-empty.txt', 0), 'empty.txt') },
  {
    name: 'upload-existing-name',
    files: { 'taken.txt': 'already here\n' },
    run: client(upload('taken.txt', SPEECH.length), 'speech.txt'),
  },
  {
    name: 'upload-busy',
    connections: 2,
    serverTrace: 2,
    run: whileHeld(client(upload('busy.txt', SPEECH.length), 'speech.txt')),
  },
  { name: 'upload-refused-size', maxUploadSize: 10, run: client(upload('big.txt', SPEECH.length), 'speech.txt') },
  {
    name: 'upload-interrupted-by-client',
    run: async (peer) => {
      const raw = await peer.connect(encodeRequest(OP.upload, 'cut.txt'), encodeUploadSize(1000));
      await raw.received(2);
      raw.write(Buffer.from(SPEECH));
      await new Promise((resolve) => setTimeout(resolve, 50));
      raw.reset();
    },
  },
  { name: 'upload-not-stored-by-server', diskFull: true, run: client(upload('full.txt', SPEECH.length), 'speech.txt') },
  {
    name: 'proxy-download-ok',
    viaProxy: true,
    files: { 'speech.txt': SPEECH.repeat(20) },
    run: client(download('speech.txt'), 'speech.txt'),
  },
  { name: 'proxy-upload-ok', viaProxy: true, run: client(upload('new.txt', SPEECH.length), 'speech.txt') },
  {
    name: 'ext-download-ok',
    files: { 'speech.txt': SPEECH },
    run: client({ ...download('speech.txt'), ...HELLO }, 'speech.txt'),
  },
  { name: 'ext-upload-ok', run: client({ ...upload('new.txt', SPEECH.length), ...HELLO }, 'speech.txt') },
  {
    name: 'ext-proxy-upload-ok',
    viaProxy: true,
    run: client({ ...upload('new.txt', SPEECH.length), ...HELLO }, 'speech.txt'),
  },
  {
    name: 'ext-list-ok',
    files: { 'speech.txt': SPEECH, 'with space.txt': '', 'ünïcødé.txt': 'x', '.x.1-0.wirestate-part': 'hidden' },
    run: client(LIST, 'listing'),
  },
  { name: 'ext-list-not-agreed', capabilities: CAPABILITY.stored | CAPABILITY.sha256, run: client(LIST, 'listing') },
  {
    name: 'ext-list-without-hello',
    run: async (peer) => (await peer.connect(encodeListRequest())).closed(),
  },
  {
    name: 'resume-download-ok',
    files: { 'speech.txt': RESUMED },
    local: { [KEPT_DOWNLOAD]: KEPT },
    resumeKeep: 600,
    run: client({ ...download('speech.txt'), ...HELLO, ...resumeFrom(FILE_TIME.getTime()) }, 'speech.txt'),
  },
  {
    name: 'resume-download-changed',
    files: { 'speech.txt': RESUMED },
    resumeKeep: 600,
    run: client({ ...download('speech.txt'), ...HELLO, ...resumeFrom(FILE_TIME.getTime() - 1000) }, 'speech.txt'),
  },
  {
    name: 'resume-upload-ok',
    files: { [resumeNameFor('new.txt', UPLOAD_ID)]: KEPT },
    local: { 'resumed.txt': RESUMED },
    resumeKeep: 600,
    run: client({ ...upload('new.txt', RESUMED.length), ...HELLO, uploadId: UPLOAD_ID }, 'resumed.txt'),
  },
  {
    name: 'ext-upload-digest-mismatch',
    run: async (peer) => {
      const raw = await peer.connect(
        encodeHello(IMPLEMENTED),
        encodeRequest(EXT_OP.upload, 'bent.txt'),
        encodeUploadSize(SPEECH.length),
        Buffer.from(SPEECH),
        Buffer.alloc(32),
      );
      await raw.received(16 + 3);
      await raw.end();
    },
  },
];

export const transferFixtures: FixtureScenario[] = scenarios.map(
  ({ maxUploadSize, diskFull, capabilities, resumeKeep, ...scenario }) => ({
    ...scenario,
    local: { ...LOCAL, ...scenario.local },
    server: (files) =>
      transferServer(diskFull ? failingCommits(files) : files, {
        maxUploadSize: maxUploadSize ?? Number.MAX_SAFE_INTEGER,
        capabilities,
        resumeKeepSeconds: resumeKeep,
      }),
  }),
);

/** A folder whose every commit fails as on a full disk: the server must reset, not claim success. */
function failingCommits(files: ServerFiles): ServerFiles {
  return {
    lookupDownload: (name, owner) => files.lookupDownload(name, owner),
    reserveUpload: (name, owner) => files.reserveUpload(name, owner),
    hasRoomFor: (ref, size) => files.hasRoomFor(ref, size),
    release: (owner) => files.release(owner),
    read: (ref, size) => files.read(ref, size),
    listFiles: () => files.listFiles(),
    receive: (ref) => {
      const file = files.receive(ref);
      return {
        ...file,
        commit: async () => {
          file.abort();
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        },
      };
    },
  };
}

/**
 * The crash-consistency harness (`npm run crash-test`, and a short run in the
 * suite): per round, many concurrent clients against a real queue server
 * (`--store`, lmdb) and a real transfer server, both SIGKILLed at a random moment,
 * restarted, and checked:
 *
 * - every acknowledged message (the server closed cleanly before the kill) is
 *   present exactly once across the receipts before the kill and the queue
 *   drained after the restart; a message whose receipt the server confirmed
 *   (clean close) never comes back;
 * - every acknowledged upload exists with its sha256, every file in the root is
 *   one we uploaded and whole, and no temporary file is left after the restart.
 *
 * Odd rounds send large messages (16-64 KiB, past one lmdb page,
 * so each round writes and frees several MiB of overflow pages).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_TCP } from '../machines/queue/codec';
import { startServerCommand } from '../src/test-support/processes';
import { receiveMessage, sendMessage, upload, type Ending } from './crash-clients';

export interface CrashOptions {
  /** The built CLI (dist/src/cli/main.js). */
  cli: string;
  rounds: number;
  /** No new round starts after this many seconds. */
  seconds: number;
  senders: number;
  receivers: number;
  uploaders: number;
  /** Progress lines (one per round). */
  print?: (line: string) => void;
}

export interface CrashFigures {
  rounds: number;
  kills: number;
  largeMessageRounds: number;
  /** Sends and uploads the server closed cleanly before the kill. */
  acknowledged: number;
  /** Acknowledged but absent after the restart: must be 0. */
  lost: number;
  /** Acknowledged messages present more than once, or a confirmed receipt that came back: must be 0. */
  duplicated: number;
  /** Messages or files present but not whole, or files we never sent: must be 0. */
  corrupt: number;
  /** Temporary files found after a restart: must be 0. */
  tempFiles: number;
  queue: { acknowledged: number; received: number; drained: number; bytesDelivered: number };
  uploads: { acknowledged: number; bytes: number };
  /** The seed protocols' residual window: a clean close seen only after the kill was sent (the kernel's FIN, or the server's). */
  atKill: {
    sends: number;
    sendsKept: number;
    receipts: number;
    receiptsRedelivered: number;
    uploads: number;
    uploadsKept: number;
  };
}

const MESSAGE = /^wsq:(\d+):/;

export async function crashRounds(options: CrashOptions): Promise<CrashFigures> {
  const figures: CrashFigures = {
    rounds: 0,
    kills: 0,
    largeMessageRounds: 0,
    acknowledged: 0,
    lost: 0,
    duplicated: 0,
    corrupt: 0,
    tempFiles: 0,
    queue: { acknowledged: 0, received: 0, drained: 0, bytesDelivered: 0 },
    uploads: { acknowledged: 0, bytes: 0 },
    atKill: { sends: 0, sendsKept: 0, receipts: 0, receiptsRedelivered: 0, uploads: 0, uploadsKept: 0 },
  };
  const base = await mkdtemp(join(tmpdir(), 'wirestate-crash-'));
  const store = join(base, 'queue.lmdb');
  const root = join(base, 'files');
  const startCli = (args: string[]) => startServerCommand([process.execPath, options.cli, ...args]);
  const startQueue = () => startCli(['queue', 'server', '0', 'TCP', '--host', '127.0.0.1', '--store', store]);
  const startTransfer = () => startCli(['transfer', 'server', '-l', '0', '--host', '127.0.0.1', '--root', root]);
  /** Every upload ever started, by name: its sha256. */
  const uploaded = new Map<string, string>();
  let nextId = 1;
  const deadline = Date.now() + options.seconds * 1000;
  let [queueServer, transferServer] = await Promise.all([startQueue(), startTransfer()]);
  try {
    for (let round = 1; round <= options.rounds && Date.now() < deadline; round++) {
      const large = round % 2 === 0;
      let killed = false;
      const isKilled = () => killed;
      const source = (i: number) => `127.0.0.${3 + (i % 8)}`;

      // Sends, receipts and uploads of this round, as the clients saw them.
      const sent = new Map<number, { bytes: Buffer; ending: Ending }>();
      const receipts: Ending[] = [];
      const uploads: { name: string; size: number; ending: Ending }[] = [];
      const sender = async (i: number) => {
        while (!killed) {
          const id = nextId++;
          const size = large ? 16 * 1024 + Math.floor(Math.random() * 48 * 1024) : 10 + Math.floor(Math.random() * 300);
          const bytes = Buffer.concat([Buffer.from(`wsq:${id}:`), randomBytes(size).map((byte) => 0x61 + (byte % 26))]);
          sent.set(id, { bytes, ending: await sendMessage(queueServer.port, source(i), bytes, isKilled) });
        }
      };
      const receiver = async (i: number) => {
        while (!killed) {
          const ending = await receiveMessage(queueServer.port, source(i), isKilled);
          if (ending.data.length > 0 && !ending.data.equals(EMPTY_TCP)) receipts.push(ending);
          else await pause(5);
        }
      };
      const uploader = async (i: number) => {
        for (let k = 0; !killed; k++) {
          const name = `r${round}-u${i}-${k}.bin`;
          const bytes = randomBytes(1024 + Math.floor(Math.random() * 1024 * 1024));
          const sha256 = createHash('sha256').update(bytes).digest('hex');
          uploaded.set(name, sha256);
          uploads.push({
            name,
            size: bytes.length,
            ending: await upload(transferServer.port, source(i), name, bytes, isKilled),
          });
        }
      };
      const clients = [
        ...Array.from({ length: options.senders }, (_, i) => sender(i)),
        ...Array.from({ length: options.receivers }, (_, i) => receiver(i)),
        ...Array.from({ length: options.uploaders }, (_, i) => uploader(i)),
      ];
      await pause(150 + Math.random() * 1000);
      killed = true;
      queueServer.child.kill('SIGKILL');
      transferServer.child.kill('SIGKILL');
      await Promise.all([queueServer.exited, transferServer.exited, ...clients]);
      figures.kills += 1;
      [queueServer, transferServer] = await Promise.all([startQueue(), startTransfer()]);
      const drained = await drain(queueServer.port);

      // The queue: count where each message of this round turned up.
      const confirmed = new Map<number, number>(); // receipts the server closed cleanly before the kill, and the drain
      const loose = new Map<number, number>(); // receipts cut by the kill (whole message, no confirmation)
      const count = (map: Map<number, number>, id: number) => map.set(id, (map.get(id) ?? 0) + 1);
      const identify = (bytes: Buffer): number | undefined => {
        const id = Number(MESSAGE.exec(bytes.subarray(0, 32).toString('latin1'))?.[1]);
        return sent.get(id)?.bytes.equals(bytes) ? id : undefined;
      };
      for (const receipt of receipts) {
        const id = identify(receipt.data);
        if (id === undefined) {
          if (receipt.clean && receipt.beforeKill) figures.corrupt += 1; // a confirmed receipt must be whole
          continue;
        }
        figures.queue.bytesDelivered += receipt.data.length;
        if (receipt.clean && receipt.beforeKill) {
          figures.queue.received += 1;
          count(confirmed, id);
        } else {
          figures.atKill.receipts += 1;
          count(loose, id);
        }
      }
      for (const message of drained) {
        const id = identify(message);
        if (id === undefined) figures.corrupt += 1;
        else {
          figures.queue.drained += 1;
          figures.queue.bytesDelivered += message.length;
          count(confirmed, id);
          if (loose.has(id)) figures.atKill.receiptsRedelivered += 1;
        }
      }
      for (const [id, { ending }] of sent) {
        const times = (confirmed.get(id) ?? 0) + (loose.get(id) ?? 0);
        if ((confirmed.get(id) ?? 0) > 1) figures.duplicated += 1;
        if (!ending.clean) continue;
        if (!ending.beforeKill) {
          figures.atKill.sends += 1;
          if (times > 0) figures.atKill.sendsKept += 1;
          continue;
        }
        figures.queue.acknowledged += 1;
        if (times === 0) figures.lost += 1;
      }

      // The transfer root: acknowledged uploads whole, nothing else but whole uploads, no temporary files.
      const present = new Set(await readdir(root));
      for (const name of present) {
        if (name.endsWith('.wirestate-part')) figures.tempFiles += 1;
        else if (
          uploaded.get(name) !==
          createHash('sha256')
            .update(await readFile(join(root, name)))
            .digest('hex')
        )
          figures.corrupt += 1;
      }
      for (const { name, size, ending } of uploads) {
        if (!ending.clean) continue;
        if (!ending.beforeKill) {
          figures.atKill.uploads += 1;
          if (present.has(name)) figures.atKill.uploadsKept += 1;
          continue;
        }
        figures.uploads.acknowledged += 1;
        figures.uploads.bytes += size;
        if (!present.has(name)) figures.lost += 1;
      }
      figures.rounds += 1;
      if (large) figures.largeMessageRounds += 1;
      options.print?.(
        `round ${round}${large ? ' (large messages)' : ''}: ${[...sent.values()].filter((s) => s.ending.clean && s.ending.beforeKill).length} sends and ` +
          `${uploads.filter((u) => u.ending.clean && u.ending.beforeKill).length} uploads acknowledged, ${receipts.length} receipts, ${drained.length} drained; ` +
          `lost ${figures.lost}, duplicated ${figures.duplicated}, corrupt ${figures.corrupt}, temp files ${figures.tempFiles}`,
      );
    }
  } finally {
    queueServer.child.kill('SIGKILL');
    transferServer.child.kill('SIGKILL');
    await Promise.all([queueServer.exited, transferServer.exited]);
    await rm(base, { recursive: true, force: true });
  }
  figures.acknowledged = figures.queue.acknowledged + figures.uploads.acknowledged;
  return figures;
}

/** Receives until the queue says it is empty (bounded), in order. */
async function drain(port: number): Promise<Buffer[]> {
  const messages: Buffer[] = [];
  for (let i = 0; i < 1_000_000; i++) {
    const ending = await receiveMessage(port, '127.0.0.3', () => false);
    if (!ending.clean) throw new Error('the restarted queue server broke a receive');
    if (ending.data.equals(EMPTY_TCP)) return messages;
    messages.push(ending.data);
  }
  throw new Error('the queue did not empty');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

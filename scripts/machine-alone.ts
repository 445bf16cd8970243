/**
 * What one connection's machine costs by itself, with no socket, no log and no limits: the server's xstate actor
 * driven as the loop drives it (the same frame pump, wire commands, clock), its peer's bytes handed straight in.
 * `npm run bench` prints it beside the servers it measures, as the floor below which no server that runs this
 * machine per connection can go: a small download's request, confirm and file (its lookup reads a real file),
 * and a queue message sent then received (the in-memory store). Run by the bench as its own process
 * (`node dist/scripts/machine-alone.js download ROOT COUNT` or `... queue COUNT`), which prints the CPU
 * milliseconds per connection (a queue message's send and receive together) of COUNT connections, one after
 * another, after as many unmeasured ones. Not through replay (src/engine/replay.ts), which drives a spec the same
 * way but also watches every state through xstate's inspection and waits a turn of the event loop after each
 * input: costs of its own, which would be counted as the machine's.
 */
import { execFile } from 'node:child_process';
import { undoIfInterrupted } from './bench-interrupt';
import { createActor } from 'xstate';
import { FramePump } from '../src/engine/frame-pump';
import type { ConnectionSpec } from '../src/engine/protocol';
import { onWireCommands } from '../src/engine/wire-commands';
import { watchSession } from '../src/engine/watched-session';
import type { SessionActor } from '../src/engine/session-actor';
import { ioFirstClock } from '../src/loop/io-first-clock';
import { outcomeOf } from '../src/loop/session';
import { FolderFiles } from '../src/storage/folder-files';
import { transferServer } from '../machines/transfer/connections';
import { queueServer } from '../machines/queue/connections';
import { MessageQueue } from '../machines/queue/message-queue';
import { DEFAULT_MAX_MESSAGE } from '../machines/queue/codec';

/** The row of the bench's tables that shows this figure. */
export const MACHINE_ALONE = "wirestate's machine alone (no socket)";

/** What the peer sends once the machine has written `afterWritten` bytes: bytes, or the end of its side. */
interface PeerStep {
  afterWritten: number;
  input: Buffer | 'end';
}

/** Runs one connection's machine to its end; fails unless it succeeded having written `expectWritten` bytes. */
function runAlone(spec: ConnectionSpec, steps: PeerStep[], expectWritten: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const actor: SessionActor = createActor(spec.logic, { input: spec.input, clock: ioFirstClock });
    const observers = watchSession(actor, spec);
    const pump = new FramePump(actor, spec.decoder);
    let written = 0;
    let next = 0;
    const feed = () => {
      for (; next < steps.length && written >= steps[next].afterWritten; next++) {
        const { input } = steps[next];
        if (input === 'end') pump.end();
        else pump.push(input);
      }
      pump.run();
    };
    onWireCommands(observers, (command) => {
      if (command.type === 'wire.write') {
        written += command.bytes.length;
        command.written?.();
      } else if (command.type === 'wire.flush') queueMicrotask(() => actor.send({ type: 'wire.flushed' }));
    });
    observers.observe({
      next: () => queueMicrotask(feed),
      complete: () => {
        const { ok, outcome } = outcomeOf(actor);
        actor.stop();
        if (ok && written === expectWritten) resolve();
        else reject(new Error(`the machine ended ${outcome} having written ${written} B`));
      },
      error: reject,
    });
    actor.start();
    feed();
  });
}

const DOWNLOAD_NAME = 'small.bin';
const DOWNLOAD_SIZE = 1024;
/** The transfer reply's header: status byte and 8-byte size. */
const REPLY_HEADER = 9;

/** One connection after another: a small download of `root`'s small.bin (request, confirm, file). */
async function downloads(root: string): Promise<() => Promise<void>> {
  const protocol = transferServer(await FolderFiles.open(root), { maxUploadSize: DOWNLOAD_SIZE });
  const request = Buffer.alloc(256);
  request[0] = 'D'.charCodeAt(0);
  request.write(DOWNLOAD_NAME, 1);
  let id = 0;
  return () =>
    runAlone(
      protocol.accept(`c${++id}`),
      [
        { afterWritten: 0, input: request },
        { afterWritten: REPLY_HEADER, input: Buffer.from('T') },
      ],
      REPLY_HEADER + DOWNLOAD_SIZE,
    );
}

/** A queue message of 100 B sent (bytes, then the end), then received (`<<GET>>`). */
function queueMessages(): () => Promise<void> {
  const protocol = queueServer(new MessageQueue(), 'tcp', { maxMessage: DEFAULT_MAX_MESSAGE });
  const message = Buffer.from(`${'m'.repeat(99)}\n`);
  return async () => {
    await runAlone(
      protocol.accept('send'),
      [
        { afterWritten: 0, input: message },
        { afterWritten: 0, input: 'end' },
      ],
      0,
    );
    await runAlone(protocol.accept('receive'), [{ afterWritten: 0, input: Buffer.from('<<GET>>') }], message.length);
  };
}

/** CPU milliseconds per connection of `count` connections, after as many unmeasured. */
async function cpuMsPer(connection: () => Promise<void>, count: number): Promise<number> {
  for (let done = 0; done < count; done++) await connection();
  const before = process.cpuUsage();
  for (let done = 0; done < count; done++) await connection();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

/** Runs this script as its own process: the CPU ms per connection it prints. */
export function machineAloneMs(args: string[], timeoutSeconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [__filename, ...args],
      { timeout: timeoutSeconds * 1000 },
      (error, stdout, stderr) => {
        ended();
        const ms = Number(stdout.trim());
        if (error) reject(new Error(`machine-alone ${args.join(' ')}: ${stderr.trim() || error.message}`));
        else if (!Number.isFinite(ms)) reject(new Error(`machine-alone printed ${JSON.stringify(stdout)}`));
        else resolve(ms);
      },
    );
    // Killed with the bench's servers if a signal stops the bench meanwhile.
    const ended = undoIfInterrupted(() => child.kill('SIGKILL'));
  });
}

async function main([kind, ...rest]: string[]): Promise<void> {
  const count = Number(rest.at(-1));
  if (!Number.isInteger(count) || count <= 0 || (kind === 'download' ? rest.length !== 2 : kind !== 'queue'))
    throw new Error('usage: machine-alone.js download ROOT COUNT | queue COUNT');
  const connection = kind === 'download' ? await downloads(rest[0]) : queueMessages();
  console.log(await cpuMsPer(connection, count));
}

if (require.main === module)
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });

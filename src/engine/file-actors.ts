/**
 * The two actors through which bulk bytes move, shared by every protocol that
 * moves files (a server's download is its client's upload): a source that
 * streams a file out in chunks and pauses on demand, and a sink that writes
 * chunks and commits.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fromCallback, type ActorRefFrom } from 'xstate';
import type { IncomingFile } from '../storage/file-store';
import { errorCode } from './errors';
import type { EngineCode } from './outcome';

export interface FileTarget {
  /** The handle a lookup returned (server), or unused (client: one local file). */
  ref: string;
  size: number;
  /** Hash the bytes (SHA-256) as they pass: the source reports the digest with `file.done`, the sink checks one before it commits. */
  digest?: boolean;
}

/** Why a file actor failed: a stable code (outcome.ts) and, when the system said, its errno. */
export type FileFailure<Code extends EngineCode> = { type: 'file.error'; code: Code; detail: string };

export type SourceEvent =
  | { type: 'file.chunk'; chunk: Buffer }
  /** Every byte read; `sha256`: their digest, when the target asked for one. */
  | { type: 'file.done'; sha256?: Buffer }
  | FileFailure<'file.unreadable' | 'file.size_changed'>;
export type SourceCommand = { type: 'source.pause' } | { type: 'source.resume' };

/** The ids under which a machine invokes its file actors (bulk-states.ts) and sends them commands (bulk-actions.ts). */
export const SOURCE_ID = 'source' as const;
export const SINK_ID = 'sink' as const;

/** Streams `size` bytes of a file out as `file.chunk` events; errors if it yields another count. */
export function fileSource(open: (target: FileTarget) => Readable) {
  return fromCallback<SourceCommand, FileTarget, SourceEvent>(({ input, sendBack, receive }) => {
    const stream = open(input);
    const hash = input.digest ? createHash('sha256') : undefined;
    let sent = 0;
    stream.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      hash?.update(chunk);
      sendBack({ type: 'file.chunk', chunk });
    });
    stream.on('end', () =>
      sendBack(
        sent === input.size
          ? { type: 'file.done', ...(hash && { sha256: hash.digest() }) }
          : { type: 'file.error', code: 'file.size_changed', detail: `${sent} of ${input.size} bytes` },
      ),
    );
    stream.on('error', (error) => sendBack({ type: 'file.error', code: 'file.unreadable', detail: errorCode(error) }));
    receive((command) => (command.type === 'source.pause' ? stream.pause() : stream.resume()));
    return () => {
      stream.destroy();
    };
  });
}

export type SinkEvent =
  | { type: 'file.full' }
  | { type: 'file.drain' }
  | { type: 'file.stored' }
  /** `bytes` more of the file have come in since the last report. */
  | { type: 'file.progress'; bytes: number }
  /** Nothing came in from the peer for `idleMs` while the disk kept up. */
  | { type: 'file.stalled' }
  | FileFailure<'file.unwritable' | 'file.digest_mismatch'>;
/** A file chunk as the protocol's decoder frames it, delivered by the frame pump straight to the sink (BULK_IN_TAG). */
export type BulkChunk = { type: 'frame.data'; chunk: Buffer } | { type: 'frame.bytes'; bytes: Buffer };
/** `sink.report`: tell the machine now of the bytes not yet reported (it is about to hear of the connection's end). */
export type SinkCommand =
  | BulkChunk
  | { type: 'sink.report' }
  /** The SHA-256 the sender gave for the file: `sink.commit` keeps the file only if the bytes hash to it. */
  | { type: 'sink.expect_digest'; sha256: Buffer }
  | { type: 'sink.commit' };
/** The sink's own timers, scheduled on the actor system's clock (simulated in replay). */
type SinkTimer = { type: 'sink.idle' } | { type: 'sink.tick' };

export interface SinkTarget extends FileTarget {
  /** How long the peer may send nothing before the sink reports `file.stalled`. */
  idleMs: number;
}

/** The machine hears of the bytes at least this often while they move, and after this many at the latest. */
export const PROGRESS_MS = 250;
export const PROGRESS_BYTES = 64 * 1024 * 1024;

/**
 * The receiving half of a bulk phase as one actor: writes chunks to a file that appears only once
 * committed (stopping it before then discards it), counts them, keeps the idle watchdog, and tells
 * the machine only of coarse progress, a full or drained disk, a stall, the end and failures.
 */
export function fileSink(open: (target: FileTarget) => IncomingFile) {
  return fromCallback<SinkCommand | SinkTimer, SinkTarget, SinkEvent>(({ input, sendBack, receive, self, system }) => {
    const file = open(input);
    const hash = input.digest ? createHash('sha256') : undefined;
    let expected: Buffer | undefined;
    let unreported = 0;
    let ticking = false;
    const report = () => {
      if (unreported > 0) sendBack({ type: 'file.progress', bytes: unreported });
      unreported = 0;
    };
    const watch = () => {
      system.scheduler.cancel(self, 'idle');
      system.scheduler.schedule(self, self, { type: 'sink.idle' }, input.idleMs, 'idle');
    };
    const stop = () => {
      system.scheduler.cancel(self, 'idle');
      system.scheduler.cancel(self, 'tick');
    };
    file.stream.on('drain', () => sendBack({ type: 'file.drain' }));
    const failed = (error: unknown) => {
      stop();
      report();
      sendBack({ type: 'file.error', code: 'file.unwritable', detail: errorCode(error) });
    };
    file.stream.on('error', failed);
    watch();
    receive((command) => {
      switch (command.type) {
        case 'frame.data':
        case 'frame.bytes': {
          const chunk = command.type === 'frame.data' ? command.chunk : command.bytes;
          watch();
          unreported += chunk.length;
          hash?.update(chunk);
          const full = !file.stream.write(chunk);
          if (unreported >= PROGRESS_BYTES) report();
          else if (!ticking) {
            ticking = true;
            system.scheduler.schedule(self, self, { type: 'sink.tick' }, PROGRESS_MS, 'tick');
          }
          if (full) sendBack({ type: 'file.full' });
          return;
        }
        case 'sink.tick':
          ticking = false;
          report();
          return;
        case 'sink.report':
          report();
          return;
        case 'sink.idle':
          // The disk, not the peer, holds the bytes back while it is full: that is no stall.
          if (file.stream.writableNeedDrain) return watch();
          stop();
          report();
          sendBack({ type: 'file.stalled' });
          return;
        case 'sink.expect_digest':
          expected = command.sha256;
          return;
        case 'sink.commit': {
          stop();
          report();
          const actual = hash?.digest();
          if (actual && !(expected?.length === actual.length && timingSafeEqual(expected, actual))) {
            file.abort();
            const said = expected ? expected.toString('hex') : 'none';
            sendBack({
              type: 'file.error',
              code: 'file.digest_mismatch',
              detail: `sha256 ${actual.toString('hex')}, sender said ${said}`,
            });
            return;
          }
          file.commit().then(() => sendBack({ type: 'file.stored' }), failed);
          return;
        }
      }
    });
    return () => {
      stop();
      file.abort();
    };
  });
}

export type SourceActor = ActorRefFrom<ReturnType<typeof fileSource>>;
export type SinkActor = ActorRefFrom<ReturnType<typeof fileSink>>;

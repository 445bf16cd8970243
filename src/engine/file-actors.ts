/**
 * The two actors through which bulk bytes move, shared by every protocol that
 * moves files (a server's download is its client's upload): a source that
 * reads a file into a few reused buffers and writes them onto the wire itself,
 * and a sink that writes the chunks the frame pump hands it and commits. Each
 * is a bulk phase on its own: it counts the bytes, keeps the idle watchdog and
 * tells its machine only of coarse progress, a stall, the end and failures.
 * They are the one place where outgoing (source) and incoming (sink) file
 * bytes pass.
 */
import { createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { fromCallback, type ActorRefFrom } from 'xstate';
import type { IncomingFile, OutgoingFile } from '../storage/file-store';
import { errorCode } from '../storage/errors';
import { errorDetail, nameErrorWords } from '../storage/name-error-words';
import { bulkMeter } from './bulk-meter';
import { pooledWriter } from './pooled-writer';
import type { EngineCode } from './outcome';
import type { WireCommand } from './protocol';

export interface FileTarget {
  /** The handle a lookup returned (server), or unused (client: one local file). */
  ref: string;
  size: number;
  /** Hash the bytes (SHA-256) as they pass: the source reports the digest with `file.done`, the sink checks one before it commits. */
  digest?: boolean;
  /**
   * A resumed transfer's first byte: the source reads and hashes the bytes before it but sends only
   * from it on; the sink's file keeps that many bytes of an earlier attempt and hashes them first.
   */
  start?: number;
  /** The sink's file is resumable: interrupted, it is kept under a name made with this tag. */
  tag?: string;
  /** A source whose length is not known ahead (a listing): it ends where its reads do, and `size` is not checked. */
  untilEnd?: boolean;
  /** The most bytes a sink of a file of unknown size takes: past it, it keeps nothing and fails (`file.too_large`, with `detail`). */
  limit?: { bytes: number; detail: string };
}

export interface BulkTarget extends FileTarget {
  /** How long nothing may move (the peer sends or takes nothing) before the actor reports `file.stalled`. */
  idleMs: number;
}

/** Why a file actor failed: a stable code (outcome.ts) and, when the system said, its errno. */
export interface FileFailure<Code extends EngineCode> {
  type: 'file.error';
  code: Code;
  detail: string;
}

/** What both actors tell their machine while bytes move. */
export type BulkReport =
  /** `bytes` more of the file have moved since the last report. */
  | { type: 'file.progress'; bytes: number }
  /** Nothing moved for `idleMs`. */
  | { type: 'file.stalled' };

export type SourceEvent =
  | BulkReport
  /**
   * Every byte read; `bytes`: those moved since the last `file.progress` (the end carries them rather than
   * a progress event of its own: one macrostep fewer per file); `sha256`: their digest, when the target asked for one.
   */
  | { type: 'file.done'; bytes: number; sha256?: Buffer }
  | FileFailure<'file.unreadable' | 'file.size_changed'>;
/**
 * `source.report`: tell the machine now of the bytes not yet reported (it is about to hear of the
 * connection's end). `source.active`: the peer acknowledged bytes sent earlier, which is progress too.
 */
export type SourceCommand = { type: 'source.report' } | { type: 'source.active' };
type SourceWrite = Extract<WireCommand, { type: 'wire.write' }>;

/** The ids under which a machine invokes its file actors (bulk-states.ts) and sends them commands (bulk-actions.ts). */
export const SOURCE_ID = 'source' as const;
export const SINK_ID = 'sink' as const;

/** Bytes a source reads at a time, unless its protocol says otherwise. */
export const READ_CHUNK = 256 * 1024;
/** Buffers a source owns: one being read while the others are on their way to the kernel. */
const SOURCE_BUFFERS = 4;

/** Bytes a sink buffers towards the disk before it says it is full, unless its protocol says otherwise. */
export const WRITE_BUFFER = 1024 * 1024;
/** The buffers a sink splits them into: one being filled while the others are on their way to the disk. */
const SINK_BUFFERS = 4;

/** The buffer sizes of a protocol's file actors, each with its default. */
export interface BulkOptions {
  /** Bytes a source reads, and writes onto the wire, at a time (default READ_CHUNK). */
  readChunk?: number;
  /** Bytes a sink buffers towards the disk before it says it is full (default WRITE_BUFFER). */
  writeBuffer?: number;
}

/**
 * Writes `size` bytes of a file onto the wire as emitted `wire.write`s, reusing a few buffers: one is
 * read into again once the carrier says its bytes have left. That is also the backpressure: with every
 * buffer on its way, nothing more is read. Errors if the file yields another count of bytes.
 */
export function fileSource(open: (target: FileTarget) => OutgoingFile, options: BulkOptions = {}) {
  return fromCallback<SourceCommand, BulkTarget, SourceWrite>(({ input, sendBack, receive, emit, system }) => {
    const tell = (event: SourceEvent) => sendBack(event);
    const file = open(input);
    const hash = input.digest ? createHash('sha256') : undefined;
    const free: Buffer[] = [];
    let owned = 0;
    /** Bytes read, sent or (before `start`) only hashed. */
    let sent = 0;
    const start = input.start ?? 0;
    let reading = false;
    let over = false;
    const end = (event: SourceEvent) => {
      over = true;
      meter.stop();
      meter.flush();
      tell(event);
    };
    const finish = () => end({ type: 'file.done', bytes: meter.take(), ...(hash && { sha256: hash.digest() }) });
    const meter = bulkMeter(system, {
      idleMs: input.idleMs,
      report: (bytes) => tell({ type: 'file.progress', bytes }),
      stalled: () => {
        over = true;
        tell({ type: 'file.stalled' });
      },
    });
    // No buffer larger than the file (at least one byte, so that a file longer than announced is noticed): a
    // 1 KiB download holds 1 KiB buffers, not 256 KiB ones the garbage collector then has to reclaim. A source
    // of no known length (a listing) reads whole chunks.
    const chunk = options.readChunk ?? READ_CHUNK;
    const bufferSize = input.untilEnd ? chunk : Math.max(1, Math.min(chunk, input.size));
    const nextBuffer = () =>
      free.pop() ?? (owned < SOURCE_BUFFERS ? (owned++, Buffer.allocUnsafeSlow(bufferSize)) : undefined);
    const readNext = () => {
      if (reading || over) return;
      const buffer = nextBuffer();
      if (!buffer) return;
      reading = true;
      file.read(buffer).then(
        (count) => {
          reading = false;
          if (over) return;
          if (count === 0) {
            if (sent === input.size || input.untilEnd) finish();
            else
              end({
                type: 'file.error',
                code: 'file.size_changed',
                detail: `ended after ${sent} of the ${input.size} bytes announced`,
              });
            return;
          }
          const skipped = Math.max(0, Math.min(count, start - sent));
          sent += count;
          const read = count < buffer.length ? buffer.subarray(0, count) : buffer;
          hash?.update(read);
          if (skipped === count) {
            // All of it before `start`: the peer has it; only the hash needed it.
            free.push(buffer);
            readNext();
            return;
          }
          const bytes = read.subarray(skipped);
          meter.moved(bytes.length);
          // The announced size is read: the file ends here (a store's read past it gives nothing, having checked
          // that the file did not change meanwhile). It is done once this last chunk has left for the kernel, as
          // every one before it has then too (a peer that takes none of it is no file sent), without one more read.
          const last = !input.untilEnd && sent === input.size;
          const written = () => {
            free.push(buffer);
            meter.active();
            if (!last) readNext();
            else if (!over) finish();
          };
          emit({ type: 'wire.write', bytes, written });
          if (!last) readNext();
        },
        (error: unknown) => {
          reading = false;
          if (over) return;
          const code = errorCode(error);
          end(
            code === 'file.size_changed'
              ? { type: 'file.error', code, detail: (error as Error).message }
              : { type: 'file.error', code: 'file.unreadable', detail: nameErrorWords(code) },
          );
        },
      );
    };
    receive((command) => {
      if (command.type === 'source.report') meter.flush();
      else meter.active();
    });
    readNext();
    return () => {
      over = true;
      meter.stop();
      file.close();
    };
  });
}

export type SinkEvent =
  | BulkReport
  | { type: 'file.full' }
  | { type: 'file.drain' }
  | { type: 'file.stored' }
  | FileFailure<'file.unwritable' | 'file.digest_mismatch' | 'file.too_large'>;
/** A file chunk as the protocol's decoder frames it, delivered by the frame pump straight to the sink (BULK_IN_TAG). */
export type BulkChunk = { type: 'frame.data'; chunk: Buffer } | { type: 'frame.bytes'; bytes: Buffer };
/** `sink.report`: tell the machine now of the bytes not yet reported (it is about to hear of the connection's end). */
export type SinkCommand =
  | BulkChunk
  | { type: 'sink.report' }
  /** The SHA-256 the sender gave for the file: `sink.commit` keeps the file only if the bytes hash to it. */
  | { type: 'sink.expect_digest'; sha256: Buffer }
  | { type: 'sink.commit' };

/**
 * The receiving half of a bulk phase as one actor: writes chunks to a file that appears only once
 * committed (stopping it before then discards it), counts them, keeps the idle watchdog, and tells
 * the machine only of coarse progress, a full or drained disk, a stall, the end and failures.
 */
export function fileSink(open: (target: FileTarget) => IncomingFile, options: BulkOptions = {}) {
  const writeBuffer = options.writeBuffer ?? WRITE_BUFFER;
  return fromCallback<SinkCommand, BulkTarget, SinkEvent>(({ input, sendBack, receive, system }) => {
    const tell = (event: SinkEvent) => sendBack(event);
    const file = open(input);
    const meter = bulkMeter(system, {
      idleMs: input.idleMs,
      report: (bytes) => tell({ type: 'file.progress', bytes }),
      stalled: () => tell({ type: 'file.stalled' }),
      // The disk (or the hashing of the kept bytes), not the peer, holds the bytes back: that is no stall.
      waitingOnUs: () => writer.isFull || hashingKept,
    });
    // A file known to be smaller than a buffer gets buffers its size (size 0 is unknown: a file until the peer ends).
    const perBuffer = writeBuffer / SINK_BUFFERS;
    const writer = pooledWriter(file.stream, {
      bytes: SINK_BUFFERS * (input.size > 0 ? Math.min(perBuffer, input.size) : perBuffer),
      buffers: SINK_BUFFERS,
      full: () => tell({ type: 'file.full' }),
      drained: () => !hashingKept && tell({ type: 'file.drain' }),
    });
    const hash = input.digest ? createHash('sha256') : undefined;
    let expected: Buffer | undefined;
    let broken = false;
    let taken = 0;
    const discardOrAbort = () => (file.discard ? file.discard() : file.abort());
    // A failure of this side's own storage (ENOSPC, EIO, a commit) is no interruption: nothing is kept to
    // resume from, or kept parts would fill the disk that just ran out.
    const failed = (error: unknown) => {
      broken = true;
      discardOrAbort();
      meter.stop();
      meter.flush();
      tell({ type: 'file.error', code: 'file.unwritable', detail: errorDetail(error) });
    };
    file.stream.on('error', failed);
    // A resumed file: its kept bytes are hashed first (one read of them), the new ones after, in order. Meanwhile
    // the sink says it is full, so few new chunks come; those that do wait for the hash, not for the disk.
    let hashingKept = hash !== undefined && file.kept !== undefined;
    let waitingForHash: Buffer[] = [];
    const keptHashed =
      hash && file.kept
        ? hashAll(file.kept, hash).then(() => {
            hashingKept = false;
            for (const chunk of waitingForHash) hash.update(chunk);
            waitingForHash = [];
            if (!writer.isFull) tell({ type: 'file.drain' });
          }, failed)
        : Promise.resolve();
    if (hashingKept) tell({ type: 'file.full' });
    receive((command) => {
      switch (command.type) {
        case 'frame.data':
        case 'frame.bytes': {
          const chunk = command.type === 'frame.data' ? command.chunk : command.bytes;
          if (broken) return;
          taken += chunk.length;
          if (input.limit !== undefined && taken > input.limit.bytes) {
            broken = true;
            discardOrAbort();
            meter.stop();
            tell({ type: 'file.error', code: 'file.too_large', detail: input.limit.detail });
            return;
          }
          meter.moved(chunk.length);
          // Kept until the hash is ready: a copy, since a chunk may be a view of memory that is read into again.
          if (hashingKept) waitingForHash.push(Buffer.from(chunk));
          else hash?.update(chunk);
          writer.write(chunk);
          return;
        }
        case 'sink.report':
          meter.flush();
          return;
        case 'sink.expect_digest':
          expected = command.sha256;
          return;
        case 'sink.commit': {
          meter.stop();
          meter.flush();
          writer.flush();
          void keptHashed.then(() => !broken && commit());
          return;
        }
      }
    });
    const commit = () => {
      const actual = hash?.digest();
      if (actual && !(expected?.length === actual.length && timingSafeEqual(expected, actual))) {
        // Bytes that are not the file are not kept, not even to resume from.
        discardOrAbort();
        const said = expected ? expected.toString('hex') : 'none';
        tell({
          type: 'file.error',
          code: 'file.digest_mismatch',
          detail: `sha256 ${actual.toString('hex')}, sender said ${said}`,
        });
        return;
      }
      file.commit().then(() => tell({ type: 'file.stored' }), failed);
    };
    // Stopped (the peer gone, a signal): a resumable file keeps every byte taken, those still in the pool too.
    return () => {
      meter.stop();
      if (!broken) writer.flush();
      file.abort(writer.unwritten());
    };
  });
}

/** Feeds every byte of `file` to `hash`, one buffer at a time, then closes it. */
async function hashAll(file: OutgoingFile, hash: Hash): Promise<void> {
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER);
  try {
    for (let count = await file.read(buffer); count > 0; count = await file.read(buffer))
      hash.update(buffer.subarray(0, count));
  } finally {
    file.close();
  }
}

export type SourceActor = ActorRefFrom<ReturnType<typeof fileSource>>;
export type SinkActor = ActorRefFrom<ReturnType<typeof fileSink>>;

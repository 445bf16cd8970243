/**
 * The two actors through which bulk bytes move, shared by every protocol that
 * moves files (a server's download is its client's upload): a source that
 * streams a file out in chunks and pauses on demand, and a sink that writes
 * chunks and commits.
 */
import type { Readable } from 'node:stream';
import { fromCallback, type ActorRefFrom } from 'xstate';
import type { IncomingFile } from '../storage/file-store';
import { errorCode } from './errors';
import type { EngineCode } from './outcome';

export interface FileTarget {
  /** The handle a lookup returned (server), or unused (client: one local file). */
  ref: string;
  size: number;
}

/** Why a file actor failed: a stable code (outcome.ts) and, when the system said, its errno. */
export type FileFailure<Code extends EngineCode> = { type: 'file.error'; code: Code; detail: string };

export type SourceEvent = { type: 'file.chunk'; chunk: Buffer } | { type: 'file.done' } | FileFailure<'file.unreadable' | 'file.size_changed'>;
export type SourceCommand = { type: 'source.pause' } | { type: 'source.resume' };

/** The ids under which a machine invokes its file actors (bulk-states.ts) and sends them commands (bulk-actions.ts). */
export const SOURCE_ID = 'source' as const;
export const SINK_ID = 'sink' as const;

/** Streams `size` bytes of a file out as `file.chunk` events; errors if it yields another count. */
export function fileSource(open: (target: FileTarget) => Readable) {
  return fromCallback<SourceCommand, FileTarget, SourceEvent>(({ input, sendBack, receive }) => {
    const stream = open(input);
    let sent = 0;
    stream.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      sendBack({ type: 'file.chunk', chunk });
    });
    stream.on('end', () =>
      sendBack(sent === input.size ? { type: 'file.done' } : { type: 'file.error', code: 'file.size_changed', detail: `${sent} of ${input.size} bytes` }),
    );
    stream.on('error', (error) => sendBack({ type: 'file.error', code: 'file.unreadable', detail: errorCode(error) }));
    receive((command) => (command.type === 'source.pause' ? stream.pause() : stream.resume()));
    return () => {
      stream.destroy();
    };
  });
}

export type SinkEvent = { type: 'file.full' } | { type: 'file.drain' } | { type: 'file.stored' } | FileFailure<'file.unwritable'>;
export type SinkCommand = { type: 'sink.write'; chunk: Buffer } | { type: 'sink.commit' };

/** Writes chunks to a file that appears only once committed; stopping it before then discards it. */
export function fileSink(open: (target: FileTarget) => IncomingFile) {
  return fromCallback<SinkCommand, FileTarget, SinkEvent>(({ input, sendBack, receive }) => {
    const file = open(input);
    file.stream.on('drain', () => sendBack({ type: 'file.drain' }));
    const failed = (error: unknown) => sendBack({ type: 'file.error', code: 'file.unwritable', detail: errorCode(error) });
    file.stream.on('error', failed);
    receive((command) => {
      if (command.type === 'sink.write') {
        if (!file.stream.write(command.chunk)) sendBack({ type: 'file.full' });
        return;
      }
      file.commit().then(
        () => sendBack({ type: 'file.stored' }),
        failed,
      );
    });
    return () => file.abort();
  });
}

export type SourceActor = ActorRefFrom<ReturnType<typeof fileSource>>;
export type SinkActor = ActorRefFrom<ReturnType<typeof fileSink>>;

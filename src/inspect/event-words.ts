/**
 * A machine event as a line in the inspector's log: the protocol's own words first (its frames named
 * as `wirestate replay` names them), then the words every connection shares (the peer's end, a broken
 * connection, a wait run out), and for anything else its type and fields.
 */
import type { EventObject } from 'xstate';
import { errnoWords } from '../log/errno-words';
import { PEER_ENDED } from '../trace/timeline';
import type { EventDescriber } from '../trace/trace-support';

export function eventWords(event: EventObject, protocolWords?: EventDescriber): string {
  return protocolWords?.(event) ?? commonWords(event) ?? fieldWords(event);
}

function commonWords(event: EventObject & { code?: string; error?: unknown }): string | undefined {
  if (event.type === 'socket.end') return PEER_ENDED;
  if (event.type === 'socket.error') return `the connection broke: ${errnoWords(event.code ?? 'unknown error')}`;
  if (event.type === 'wire.flushed') return 'every byte written so far has gone out';
  if (event.type === 'wire.progress') return 'the peer took more of the bytes sent';
  if (event.type === 'file.stored') return 'the file is stored';
  if (event.type === 'file.done') return 'every byte of the file is sent';
  if (event.type === 'file.error') return `the file failed: ${fileProblem(event as FileProblem)}`;
  const after = /^xstate\.after\.([^.]+)\./.exec(event.type);
  if (after) return after[1] === 'idle' ? 'the peer was silent too long' : `the ${after[1]} wait ran out`;
  // `xstate.done.actor.0.transfer-server.check_download`: the work the state `check_download` started.
  const work = /^xstate\.(done|error)\.actor\.(?:.*\.)?([^.]+)$/.exec(event.type);
  if (work) return work[1] === 'done' ? `${work[2]}: done` : `${work[2]}: failed, ${problemWords(event.error)}`;
  return undefined;
}

interface FileProblem {
  code: string;
  detail?: string;
}

const FILE_PROBLEMS: Record<string, string> = {
  'file.unreadable': 'cannot read it',
  'file.size_changed': 'it changed size while being sent',
  'file.unwritable': 'cannot write it',
  'file.digest_mismatch': 'its bytes differ from the digest the peer sent',
};

function fileProblem({ code, detail }: FileProblem): string {
  return `${FILE_PROBLEMS[code] ?? code}${detail ? ` (${errnoWords(detail)})` : ''}`;
}

function problemWords(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code ? errnoWords(code) : (message ?? String(error));
}

/** An event no one has words for: its type and fields, bytes by their count. */
function fieldWords(event: EventObject): string {
  const fields = Object.entries(event)
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => `${key}=${fieldValue(value)}`);
  return [event.type, ...fields].join(' ');
}

function fieldValue(value: unknown): string {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `${value.length} B`;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

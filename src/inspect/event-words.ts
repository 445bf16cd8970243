/**
 * A machine event as a line in the inspector's log: the protocol's own words first (its frames named
 * as `wirestate replay` names them), then the words every connection shares (the peer's end, a broken
 * connection, a wait run out, the work a state did), any other frame by what came in it, and for anything else
 * its type and fields.
 */
import type { EventObject } from 'xstate';
import { errnoWords } from '../log/errno-words';
import { PEER_ENDED } from '../trace/timeline';
import type { EventDescriber } from '../trace/trace-support';

export function eventWords(event: EventObject, protocolWords?: EventDescriber): string {
  return protocolWords?.(event) ?? commonWords(event) ?? frameWords(event) ?? fieldWords(event);
}

interface Frame {
  bytes?: unknown;
  text?: unknown;
  request?: { lines?: unknown };
}

/**
 * A frame no protocol words: `received` and what came, by its name (`frame.data_end`: `received data end`), a
 * text request by its lines (`received request "get,nope.txt"`), a text by itself (`received command "ls"`), bytes
 * by their count (`received 12 B`).
 */
function frameWords(event: EventObject & Frame): string | undefined {
  const frame = /^frame\.(.+)$/.exec(event.type)?.[1];
  if (frame === undefined) return undefined;
  const lines = event.request?.lines;
  if (Array.isArray(lines)) return `received request ${lines.map((line) => JSON.stringify(line)).join(' ')}`;
  const name = frame.replace(/[_.]/g, ' ');
  if (typeof event.text === 'string') return `received ${name} ${JSON.stringify(event.text)}`;
  if (Buffer.isBuffer(event.bytes) || event.bytes instanceof Uint8Array) return `received ${event.bytes.length} B`;
  return `received ${name}`;
}

function commonWords(event: EventObject & { code?: string; error?: unknown }): string | undefined {
  if (event.type === 'socket.end') return PEER_ENDED;
  if (event.type === 'socket.error') return `the connection broke: ${errnoWords(event.code ?? 'unknown error')}`;
  if (event.type === 'wire.flushed') return 'every byte written so far has gone out';
  if (event.type === 'wire.progress') return 'the peer took more of the bytes sent';
  if (event.type === 'peer.idle') return 'the peer was silent too long';
  if (event.type === 'file.stored') return 'the file is stored';
  if (event.type === 'file.done') return 'every byte of the file is sent';
  if (event.type === 'file.error') return `the file failed: ${fileProblem(event as FileProblem)}`;
  const after = /^xstate\.after\.([^.]+)\./.exec(event.type);
  if (after) return `the ${after[1]} wait ran out`;
  // `xstate.done.actor.0.transfer-server.check_download`: the work the state `check_download` started.
  const work = /^xstate\.(done|error)\.actor\.(?:.*\.)?([^.]+)$/.exec(event.type);
  if (work)
    return work[1] === 'done'
      ? `${workWords(work[2])} done`
      : `${workWords(work[2])} failed, ${problemWords(event.error)}`;
  return undefined;
}

/** The work a state does, by the state's name: a `check_...` state looks a name up (`lookup`); `run_command`: `run command`. */
const workWords = (state: string): string => (state.startsWith('check_') ? 'lookup' : state.replace(/_/g, ' '));

interface FileProblem {
  code: string;
  detail?: string;
}

const FILE_PROBLEMS: Record<string, string> = {
  'file.unreadable': 'cannot read it',
  'file.size_changed': 'it changed while being sent',
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
  return typeof value === 'object' && value !== null ? JSON.stringify(value, bytesByCount) : String(value);
}

/** Inside an object too, bytes read as their count, never as a list of numbers (a Buffer's JSON). */
function bytesByCount(_key: string, value: unknown): unknown {
  const { type, data } = (value ?? {}) as { type?: unknown; data?: unknown };
  return type === 'Buffer' && Array.isArray(data) ? `${data.length} B` : value;
}

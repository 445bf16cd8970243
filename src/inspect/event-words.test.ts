/**
 * The inspector's log lines: every event the transfer machines take in the recorded traces (both roles,
 * every path) read as words, frames named as `wirestate replay` names them; and each kind's exact words.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyActorRef, EventObject, InspectionEvent } from 'xstate';
import { replay } from '../engine/replay';
import { parseTrace } from '../trace/trace-format';
import { STORE_ANSWERED } from '../trace/trace-support';
import { inputsFromTrace } from '../trace/trace-replay';
import { transferEventWords } from '../../machines/transfer/event-words';
import { specFromTrace } from '../../machines/transfer/trace-world';
import { isBulk } from './bulk-filter';
import { loggedEvents } from './logged-events';
import { eventWords } from './event-words';
import { TextRequestReader } from '../engine/text-request-reader';
import { AdvancedRequestReader } from '../../machines/ardei/advanced-readers';
import { CLIENT_KEY } from '../../machines/ardei/advanced-codec';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'transfer');

/** Each event the hub would log for a trace's machine (its own, not its file actors'; no bulk), with its words. */
async function loggedLines(file: string): Promise<{ type: string; text: string }[]> {
  const trace = parseTrace(readFileSync(join(DIR, file), 'utf8'));
  const logged: { type: string; text: string }[] = [];
  let shown: ReturnType<typeof loggedEvents> | undefined;
  const observe = (event: InspectionEvent) => {
    if (isBulk(event)) return;
    if (event.rootId === event.actorRef.sessionId) shown ??= loggedEvents(event.actorRef as AnyActorRef);
    const machineEvent = shown?.(event);
    if (machineEvent) logged.push({ type: machineEvent.type, text: eventWords(machineEvent, transferEventWords) });
  };
  await replay(specFromTrace(trace), inputsFromTrace(trace, { kind: 'recorded' }), observe);
  return logged;
}

const MACHINE_NAMES = /\b(frame|file|wire|socket|xstate)\.|\b(kind|op|status|output)=/;

it('words every event the transfer machines take on every recorded path, naming no machine event', async () => {
  const files = readdirSync(DIR).filter((file) => file.endsWith('.jsonl'));
  const seen = new Map<string, string>();
  for (const file of files) for (const { type, text } of await loggedLines(file)) seen.set(type, text);
  expect([...seen.keys()]).toEqual(
    expect.arrayContaining([
      'frame.request',
      'frame.hello',
      'frame.digest',
      'socket.end',
      'socket.error',
      'file.stored',
      'file.error',
      STORE_ANSWERED,
      'xstate.done.actor.0.transfer-server.check_kept_upload',
    ]),
  );
  const unworded = [...seen].filter(([type, text]) => text.startsWith(type) || MACHINE_NAMES.test(text));
  expect(unworded).toEqual([]);
});

/** The transfer server's lookup, answered within its request's step: the hub hands its answer over as STORE_ANSWERED. */
const lookupDone = (output: unknown): EventObject => ({ type: STORE_ANSWERED, output }) as EventObject;

it.each<[string, EventObject, string]>([
  [
    'a request',
    { type: 'frame.request', op: 0x44, name: { ok: true, name: 'a.txt' } } as EventObject,
    'received REQUEST D "a.txt"',
  ],
  ['a confirmation', { type: 'frame.confirm', status: 0x54 } as EventObject, 'received DOWNLOAD_CONFIRM T'],
  ['an upload size', { type: 'frame.upload_size', size: 1024 } as EventObject, 'received UPLOAD_SIZE 1024'],
  ['file bytes', { type: 'frame.data', chunk: Buffer.alloc(1024) } as EventObject, 'received DATA 1024 B'],
  ['a file found', lookupDone({ kind: 'found', size: 109, mtimeMs: 0, ref: 'a' }), 'lookup: the file is there, 109 B'],
  ['no such file', lookupDone({ kind: 'missing' }), 'lookup: no such file'],
  [
    'a store that failed',
    lookupDone({ kind: 'failed', error: Object.assign(new Error('i/o'), { code: 'EIO' }) }),
    'lookup failed, EIO',
  ],
  ['a name in use', lookupDone({ kind: 'busy' }), 'lookup: another connection is using that name'],
  ['a free name', lookupDone({ kind: 'free', ref: 'a' }), 'lookup: the name is free'],
  ['a name taken', lookupDone({ kind: 'exists' }), 'lookup: a file of that name is there already'],
  ['a read-only folder', lookupDone({ kind: 'read_only' }), 'lookup: the folder is served read-only'],
  ['a refused lookup', lookupDone({ kind: 'refused', code: 'EACCES' }), 'lookup: refused, permission denied (EACCES)'],
  [
    'a name leading out of the folder',
    lookupDone({ kind: 'refused', code: 'name.escapes' }),
    'lookup: refused, a name that leads out of the served folder',
  ],
  ['room', lookupDone(true), 'room check: there is room'],
  ['no room', lookupDone(false), 'room check: not enough free space'],
  ['a kept upload', lookupDone(20), 'kept upload: 20 B stored so far'],
  [
    'a failed lookup',
    { type: 'xstate.error.actor.0.transfer-server.check_download', error: { code: 'EIO' } } as EventObject,
    'lookup failed, EIO',
  ],
  ['the peer ending', { type: 'socket.end' }, 'the peer ended its side'],
  [
    'a broken connection',
    { type: 'socket.error', code: 'ECONNRESET' } as EventObject,
    'the connection broke: the connection was reset by the other side (ECONNRESET)',
  ],
  ['bytes out', { type: 'wire.flushed' }, 'every byte written so far has gone out'],
  ['bytes taken', { type: 'wire.progress' }, 'the peer took more of the bytes sent'],
  ['an idle peer', { type: 'peer.idle' }, 'the peer was silent too long'],
  ['a quiet period over', { type: 'xstate.after.quiet.share-server.wait_request' }, 'the quiet wait ran out'],
  ['no hello reply', { type: 'xstate.after.helloWait.transfer-client.hello' }, 'no HELLO_REPLY in time'],
  ['a file stored', { type: 'file.stored' }, 'the file is stored'],
  ['a file sent', { type: 'file.done' }, 'every byte of the file is sent'],
  [
    'a file not written',
    { type: 'file.error', code: 'file.unwritable', detail: 'ENOSPC' } as EventObject,
    'the file failed: cannot write it (no space left on the device (ENOSPC))',
  ],
])('words %s', (_what, event, words) => {
  expect(eventWords(event, transferEventWords)).toBe(words);
});

it('leaves an event no one has words for as its type and fields, bytes by their count', () => {
  expect(eventWords({ type: 'queue.offer', count: 2, body: Buffer.alloc(5) } as EventObject)).toBe(
    'queue.offer count=2 body=5 B',
  );
});

/** Every frame a reader makes of `bytes`, as its protocol's machine takes them. */
function framesOf(reader: { push(chunk: Buffer): void; next(): EventObject | undefined }, bytes: string | Buffer) {
  reader.push(Buffer.from(bytes));
  const frames: EventObject[] = [];
  for (let frame = reader.next(); frame; frame = reader.next()) frames.push(frame);
  return frames;
}

it("words the frames of protocols with no words of their own by what came in them, never a Buffer's JSON", () => {
  // share: its request as the text-request reader hands it to the machine, then its work done.
  expect(framesOf(new TextRequestReader(1, 1024), 'get,nope.txt\n').map((frame) => eventWords(frame))).toEqual([
    'received request "get,nope.txt"',
  ]);
  expect(eventWords({ type: 'xstate.done.actor.0.share-server.check_download' })).toBe('lookup done');
  // ardei advanced: the key, a command, and the listing it ran.
  const advanced = framesOf(new AdvancedRequestReader(1024), Buffer.concat([CLIENT_KEY, Buffer.from('ls\n')]));
  expect(advanced.map((frame) => eventWords(frame))).toEqual(['received key', 'received command "ls"']);
  expect(eventWords({ type: 'xstate.done.actor.0.ardei-advanced-server.listing' })).toBe('listing done');
  // Bytes inside an event's fields are counted, not listed.
  expect(eventWords({ type: 'queue.offer', request: { firstLine: Buffer.from('abc') } } as EventObject)).toBe(
    'queue.offer request={"firstLine":"3 B"}',
  );
});

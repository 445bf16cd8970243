/**
 * Sends the hub's messages to one reader (a page loading, or its live stream) at the pace it reads them: the next
 * message is written only once the response has taken the last one. What a reader has not read yet stays in the
 * hub's history, which every reader shares, so a reader that stops reading holds no more than one write's worth of
 * bytes; if it falls so far behind that a message it still needs is no longer kept, it is told so (`behind`).
 */
import type { ServerResponse } from 'node:http';
import type { HubEntry, InspectorHub } from './inspector-hub';

export interface HistoryReader {
  /** The number of the first message to send. */
  from: number;
  /** The number of the last message to send, then `done`; without it, new messages follow as they come. */
  until?: number;
  /** What goes on the wire for one message. */
  format(entry: HubEntry, first: boolean): string;
  /** A message the reader still needs is no longer kept; `stalled`: it is not reading what it was sent. */
  behind(stalled: boolean): void;
  done?(): void;
}

export function streamHistory(hub: InspectorHub, response: ServerResponse, reader: HistoryReader): void {
  let next = reader.from;
  let stalled = false;
  let finished = false;
  const finish = () => {
    finished = true;
    unsubscribe();
  };
  const pump = () => {
    while (!finished) {
      if (reader.until !== undefined && next > reader.until) {
        finish();
        reader.done?.();
        return;
      }
      const entry = hub.entry(next);
      if (entry === 'gone') {
        finish();
        reader.behind(stalled);
        return;
      }
      if (entry === undefined || stalled) return;
      stalled = !response.write(reader.format(entry, next === reader.from));
      next += 1;
    }
  };
  const unsubscribe = hub.subscribe(pump);
  response.on('drain', () => {
    stalled = false;
    pump();
  });
  response.on('close', unsubscribe);
  pump();
}

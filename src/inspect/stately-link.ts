/**
 * The link to Stately's hosted inspector (`--inspect-stately`): the PartyKit room and superjson
 * messages of @statelyai/inspect's createSkyInspector, carrying the events the hub already builds in
 * Stately's format (stately-format.ts). Theirs queues every message without bound while the service
 * cannot be reached and retries on timers that hold the process open; here the queue is bounded,
 * retries never keep a process alive, and `close` ends the link.
 */
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { randomUUID } from 'node:crypto';
import { stringify } from 'superjson';
import WebSocket from 'ws';

/** Where Stately's inspector receives sessions. */
const STATELY_HOST = 'stately-sky-beta.mellson.partykit.dev';
/** Where a person opens a session. */
const STATELY_PAGE = 'https://stately.ai/registry/inspect';
/** Messages kept while the service is unreachable; later ones are dropped and counted. */
export const MAX_QUEUED_MESSAGES = 1000;

export interface StatelyLinkOptions {
  /** The service's host[:port]; `WIRESTATE_STATELY_HOST` or Stately's own by default (a test or a relay sets it). */
  host?: string;
  /** Wait before connecting again after a failure. */
  retryMs?: number;
  /** Called with the page to open once the service is reached. */
  onOpen(url: string): void;
  /** Called on each failed attempt. */
  onError(message: string): void;
}

export interface StatelyLink {
  send(event: StatelyInspectionEvent): void;
  /** Messages that have not reached the service: waiting in the bounded queue, or dropped when it was full. */
  unsent(): { queued: number; dropped: number };
  close(): void;
}

export function linkToStately(options: StatelyLinkOptions): StatelyLink {
  const host = options.host ?? process.env.WIRESTATE_STATELY_HOST ?? STATELY_HOST;
  const session = randomUUID();
  const local = /^(localhost|127\.|\[::1\])/.test(host);
  const url = `${local ? 'ws' : 'wss'}://${host}/party/inspect-${session}?_pk=${randomUUID()}`;
  const queue: string[] = [];
  let dropped = 0;
  let socket: WebSocket | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;

  const connect = () => {
    const attempt = new WebSocket(url);
    socket = attempt;
    attempt.on('open', () => {
      for (const message of queue.splice(0)) attempt.send(message);
      options.onOpen(`${STATELY_PAGE}/${session}`);
    });
    attempt.on('error', (error) => options.onError(error.message));
    attempt.on('close', () => {
      if (closed) return;
      socket = undefined;
      retry = setTimeout(connect, options.retryMs ?? 5000).unref();
    });
    // While it connects or waits to retry, the link alone must not keep the process running.
    attempt.on('upgrade', (response) => response.socket.unref());
  };
  connect();
  return {
    send: (event) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(stringify(event));
      else if (queue.length < MAX_QUEUED_MESSAGES) queue.push(stringify(event));
      else dropped++;
    },
    unsent: () => ({ queued: queue.length, dropped }),
    close: () => {
      closed = true;
      clearTimeout(retry);
      if (socket?.readyState === WebSocket.OPEN) socket.close();
      else socket?.terminate();
    },
  };
}

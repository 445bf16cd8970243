/**
 * The local inspector: an HTTP server on loopback that serves the page (every
 * asset local, so it works offline), the hub's stream as Server-Sent Events,
 * and the protocols' machine definitions for viewing recorded traces.
 */
import { createReadStream } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, sep } from 'node:path';
import type { AnyStateMachine } from 'xstate';
import type { InspectorHub } from './inspector-hub';

/** Default port of `--inspect` with no value. */
export const DEFAULT_INSPECT_PORT = 50080;

const PACKAGE_ROOT = join(__dirname, ...(__dirname.includes(`${sep}dist${sep}`) ? ['..', '..', '..'] : ['..', '..']));
const ASSETS: Record<string, string> = {
  '/': join(PACKAGE_ROOT, 'src', 'inspect', 'page', 'index.html'),
  '/app.js': join(PACKAGE_ROOT, 'src', 'inspect', 'page', 'app.js'),
  '/statechart.js': join(PACKAGE_ROOT, 'src', 'inspect', 'page', 'statechart.js'),
  '/style.css': join(PACKAGE_ROOT, 'src', 'inspect', 'page', 'style.css'),
  // dagre's package exports hide dist/; its browser build sits beside the main entry.
  '/vendor/dagre.min.js': join(dirname(require.resolve('@dagrejs/dagre')), 'dagre.min.js'),
};
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Machines by protocol and role, so the page can draw a recorded trace's statechart. */
export type Definitions = Record<string, Record<'server' | 'client', AnyStateMachine>>;

export interface InspectServer {
  url: string;
  close(): Promise<void>;
}

export function startInspectServer(hub: InspectorHub, port: number, definitions: Definitions): Promise<InspectServer> {
  const streams = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': wirestate inspector\n\n'); // opens the stream in the browser even before anything happens
      streams.add(response);
      const unsubscribe = hub.subscribe((message) => response.write(`data: ${JSON.stringify(message)}\n\n`));
      request.on('close', () => {
        unsubscribe();
        streams.delete(response);
      });
      return;
    }
    if (path === '/definitions') {
      const configs = Object.fromEntries(
        Object.entries(definitions).map(([protocol, roles]) => [protocol, Object.fromEntries(Object.entries(roles).map(([role, machine]) => [role, machine.config]))]),
      );
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(configs));
      return;
    }
    const file = ASSETS[path];
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'text/javascript', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${bound}/`,
        close: () =>
          new Promise<void>((done) => {
            for (const stream of streams) stream.end();
            server.close(() => done());
            // A browser keeps sockets open, some it has not sent a request on yet (Chrome preconnects); Node would
            // wait for its 60 s header timeout on those before the server counts as closed, and so would shutdown.
            server.closeAllConnections();
          }),
      });
    });
  });
}

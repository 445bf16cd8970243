/**
 * The local inspector: an HTTP server on loopback that serves the page (every
 * asset local, so it works offline) with the hub's messages so far inside it,
 * so the first paint already shows every connection; then the newer ones as
 * Server-Sent Events; and recorded traces read as `wirestate replay` reads them.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, sep } from 'node:path';
import type { InspectorHub } from './inspector-hub';
import { streamHistory } from './history-stream';
import { isLoopbackHost } from './loopback-host';
import { isOwnOrigin } from './own-origin';
import { refuse } from './refusal';
import { traceUploads } from './trace-upload';

const PACKAGE_ROOT = join(__dirname, ...(__dirname.includes(`${sep}dist${sep}`) ? ['..', '..', '..'] : ['..', '..']));
const PAGE = join(PACKAGE_ROOT, 'src', 'inspect', 'page', 'index.html');
const ASSETS: Record<string, string> = {
  '/app.js': join(PACKAGE_ROOT, 'src', 'inspect', 'page', 'app.js'),
  '/statechart.js': join(PACKAGE_ROOT, 'src', 'inspect', 'page', 'statechart.js'),
  '/style.css': join(PACKAGE_ROOT, 'src', 'inspect', 'page', 'style.css'),
  // dagre's package exports hide dist/; its browser build sits beside the main entry.
  '/vendor/dagre.min.js': join(dirname(require.resolve('@dagrejs/dagre')), 'dagre.min.js'),
};
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css' };

/** Where the page's HTML takes the messages so far. */
const HISTORY_MARK = '<!-- history -->';
/** Tells a page that the inspector no longer keeps messages it has not read: it reloads, to the current state. */
const BEHIND = 'event: behind\ndata: the inspector no longer keeps messages this page has not read\n\n';

export interface InspectServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the page for `hub`, and reads the traces the page opens (trace-upload.ts). */
export function startInspectServer(hub: InspectorHub, port: number): Promise<InspectServer> {
  const streams = new Set<ServerResponse>();
  const page = readFileSync(PAGE, 'utf8');
  const answerTraceUpload = traceUploads();
  const server = createServer((request, response) => {
    const { host, origin } = request.headers;
    if (!isLoopbackHost(host)) {
      refuse(request, response, 403, 'the inspector answers to 127.0.0.1 or localhost only');
      return;
    }
    if (origin !== undefined && !isOwnOrigin(origin, host)) {
      refuse(request, response, 403, `the inspector answers its own page only, not one from ${origin}`);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://inspector');
    const path = url.pathname;
    if (path === '/') {
      // The messages so far go inside the page, in a <script> element (their "<" escaped, so no text ends it).
      const [head, tail] = page.split(HISTORY_MARK);
      response.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      response.write(`${head}<script id="history" type="application/json">{"messages":[`);
      const last = hub.last();
      streamHistory(hub, response, {
        from: hub.firstKept(),
        until: last,
        format: (entry, first) => (first ? entry.json : `,${entry.json}`),
        behind: () => request.socket.resetAndDestroy(),
        done: () => response.end(`],"last":${last}}</script>${tail}`),
      });
      return;
    }
    if (path === '/events') {
      // Resumes after the last message the page has: the one in its HTML, or (reconnecting) the last it got here.
      const after = Number(request.headers['last-event-id'] ?? url.searchParams.get('after') ?? 0) || 0;
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': wirestate inspector\n\n'); // opens the stream in the browser even before anything happens
      streams.add(response);
      streamHistory(hub, response, {
        from: after === 0 ? hub.firstKept() : after + 1,
        format: (entry) => `id: ${entry.seq}\ndata: ${entry.json}\n\n`,
        // A page that reads again gets this and loads afresh. One that does not read is cut off with a reset, which also
        // drops the bytes the kernel still holds for it (megabytes: a FIN would wait behind them for as long as it does).
        behind: (stalled) => (stalled ? request.socket.resetAndDestroy() : response.end(BEHIND)),
      });
      request.on('close', () => streams.delete(response));
      return;
    }
    if (path === '/trace') {
      if (request.method === 'POST') answerTraceUpload(request, response);
      else
        response
          .writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'POST' })
          .end('POST a trace file here to read it\n');
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

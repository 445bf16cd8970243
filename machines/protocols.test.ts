/** The one registration is complete: every protocol folder, every fixtures folder and every default port is accounted for. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOLS, TRACE_SUPPORT } from './protocols';

const folders = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

it('registers every folder under machines/, each under its folder name', () => {
  expect(PROTOCOLS.map((protocol) => protocol.name).sort()).toEqual(folders(__dirname).sort());
});

it('replays every protocol whose traces are kept under fixtures/traces/', () => {
  const missing = folders(join(__dirname, '..', 'fixtures', 'traces')).filter((name) => !(name in TRACE_SUPPORT));
  expect(missing).toEqual([]);
});

it('gives every default server a port and transport of its own, so serve-all can start them all', () => {
  const listeners = PROTOCOLS.flatMap((protocol) =>
    protocol.servers.map((server) => `${server.transport}:${server.port}`),
  );
  expect(new Set(listeners).size).toBe(listeners.length);
});

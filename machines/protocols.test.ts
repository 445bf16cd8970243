/** The one registration is complete: every protocol folder, every fixtures folder and every default port is accounted for. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOLS, loadProtocols, loadTraceSupport } from './protocols';

const folders = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

it('registers every folder under machines/, each under its folder name', () => {
  expect(PROTOCOLS.map((protocol) => protocol.name).sort()).toEqual(folders(__dirname).sort());
});

it('loads, for each entry, the descriptor of the same name', async () => {
  expect((await loadProtocols()).map((protocol) => protocol.name)).toEqual(PROTOCOLS.map((protocol) => protocol.name));
});

it('replays every protocol whose traces are kept under fixtures/traces/', async () => {
  const support = await loadTraceSupport();
  const missing = folders(join(__dirname, '..', 'fixtures', 'traces')).filter((name) => !(name in support));
  expect(missing).toEqual([]);
});

it("keeps under fixtures/traces/ exactly the traces the descriptors' fixture scenarios record", async () => {
  const traces = join(__dirname, '..', 'fixtures', 'traces');
  const kept = folders(traces).flatMap((folder) =>
    readdirSync(join(traces, folder)).map((file) => `${folder}/${file}`),
  );
  const recorded = (await loadProtocols()).flatMap((protocol) =>
    protocol.fixtures.map((scenario) => `${scenario.folder ?? protocol.name}/${scenario.name}.server.jsonl`),
  );
  expect(kept.filter((file) => file.endsWith('.server.jsonl')).sort()).toEqual(recorded.sort());
  const scenarioOf = (file: string) => file.replace(/\.(server|client)\.jsonl$/, '');
  expect(kept.filter((file) => !recorded.includes(`${scenarioOf(file)}.server.jsonl`))).toEqual([]);
});

it('gives every default server a port and transport of its own, so serve-all can start them all', async () => {
  const listeners = (await loadProtocols()).flatMap((protocol) =>
    protocol.servers.map((server) => `${server.transport}:${server.port}`),
  );
  expect(new Set(listeners).size).toBe(listeners.length);
});

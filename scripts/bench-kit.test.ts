/** The bench's servers write to a file, not to a pipe its measured clients share a loop with (server-output.ts). */
import { sleep, startServer, type Server } from './bench-kit';

/** A process that prints `lines` with `pauseMs` between them, then waits to be killed. */
const printing = (lines: string[], pauseMs: number) => [
  '-e',
  `const lines = ${JSON.stringify(lines)};
   (async () => {
     for (const line of lines) { process.stdout.write(line); await new Promise((r) => setTimeout(r, ${pauseMs})); }
     setTimeout(() => undefined, 60_000);
   })();`,
];

let server: Server | undefined;
afterEach(() => server?.stop());

test('the listening line is found in the output file, and Mark-Compacts are counted even when split between writes', async () => {
  server = await startServer(
    'printer',
    process.execPath,
    printing(
      [
        'starting\n',
        'listening on 127.0.0.1:4321\n',
        '[1] 5 ms: Mark-Compact 9.1\n',
        '[1] 9 ms: Mark-',
        'Compact 8.2\n',
      ],
      50,
    ),
    /listening on [\d.]+:(\d+)/,
    10,
  );
  expect(server.port).toBe(4321);
  // Nothing reaches the bench through a pipe: the server's stdout and stderr are a file.
  expect(server.child.stdout).toBeNull();
  expect(server.child.stderr).toBeNull();
  await sleep(400);
  expect(server.markCompacts()).toBe(2);
});

test('a server that exits before listening is reported with what it said', async () => {
  await expect(
    startServer(
      'quitter',
      process.execPath,
      ['-e', 'console.error("no room at the inn"); process.exit(3)'],
      /listening on [\d.]+:(\d+)/,
      10,
    ),
  ).rejects.toThrow(/quitter: exited 3 before listening: no room at the inn/);
});

test('a server that cannot be run at all is reported, not thrown as an unhandled error', async () => {
  await expect(startServer('ghost', '/nonexistent/ghost-server', [], /listening/, 10)).rejects.toThrow(
    /ghost: could not be run \(spawn \/nonexistent\/ghost-server ENOENT\)/,
  );
});

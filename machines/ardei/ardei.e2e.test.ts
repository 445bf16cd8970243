/** Ardei over real loopback sockets, TCP and UDP, through the CLI: echo, files large and small, streams, the prompt, many clients. */
import { EXIT } from '../../src/cli/exit-codes';
import { CLI, run, startCliServer, wirestate, wirestateInTerminal, type ServerProcess } from '../../src/test-support/processes';

let server: ServerProcess;
let tcpPort: number;
let udpPort: number;
beforeAll(async () => {
  server = await startCliServer(['ardei', 'server', '--host', '127.0.0.1', '--tcp-port', '0', '--udp-port', '0']);
  await server.logged(/ardei-udp server listening on [\d.]+:\d+/);
  tcpPort = Number(/ardei server listening on [\d.]+:(\d+)/.exec(server.output())![1]);
  udpPort = Number(/ardei-udp server listening on [\d.]+:(\d+)/.exec(server.output())![1]);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
});

const tcp = (...request: string[]) => wirestate(['ardei', 'client', '--port', String(tcpPort), ...request]);
const udp = (...request: string[]) => wirestate(['ardei', 'client', '--udp', '--port', String(udpPort), ...request]);

it('echoes upper-cased over both transports', async () => {
  expect(await tcp('hello', 'there')).toMatchObject({ code: EXIT.ok, stdout: 'HELLO THERE\n' });
  expect(await udp('hello')).toMatchObject({ code: EXIT.ok, stdout: 'HELLO\n' });
});

it('sends a 100 MB generated file over TCP complete', async () => {
  const result = await tcp('100000000');
  expect(result.code).toBe(EXIT.ok);
  expect(result.stdout).toMatch(/^file of 100000000 chars: received 100000000 of 100000000 bytes, 0 lost \(0\.0%\)/);
});

it('sends a 1 MB generated file over UDP on loopback without loss (the server paces its datagrams)', async () => {
  const result = await udp('1000000');
  expect(result.stdout).toMatch(/^file of 1000000 chars: received 1000000 of 1000000 bytes, 0 lost \(0\.0%\)/);
});

it('streams segments over both transports', async () => {
  expect((await tcp('stream-2-20-500')).stdout).toMatch(/^stream of 20 x 500 bytes: received 10000 of 10000 bytes, 0 lost/);
  expect((await udp('stream-2-20-500')).stdout).toMatch(/^stream of 20 x 500 bytes: received 10000 of 10000 bytes, 0 lost/);
});

it('answers what the original ignored with one line', async () => {
  expect((await tcp('--', '-5')).stdout).toBe('Error: a file size is a positive number of chars\n');
  expect((await tcp('123456790')).stdout).toBe('Request for file of 123456790 chars. Server limit is: 123456790 chars.\n');
  expect((await udp('stream-x')).stdout).toBe('Error: a stream request is stream-<interval_ms>-<count>-<size>\n');
});

it("prompts like the original on a terminal: a number, then stream with its three questions, then quit", async () => {
  const shown = await wirestateInTerminal(['ardei', 'client', '--port', String(tcpPort)], '5000\nstream\n1\n3\n10\nhi\nquit\n');
  expect(shown.code).toBe(EXIT.ok);
  expect(shown.stdout).toContain('Enter a number for a file, "stream", "quit", or text to echo: ');
  expect(shown.stdout).toContain('file of 5000 chars: received 5000 of 5000 bytes, 0 lost');
  expect(shown.stdout).toMatch(/Interval between segments \(ms\): .*Number of segments: .*Segment size \(bytes\): /s);
  expect(shown.stdout).toContain('stream of 3 x 10 bytes: received 30 of 30 bytes');
  expect(shown.stdout).toContain('HI\n');
});

it('reads requests from a pipe, one per line, without prompts', async () => {
  const piped = await run('sh', ['-c', `printf 'abc\\n7\\n' | "${process.execPath}" "${CLI}" ardei client --udp --port ${udpPort}`]);
  expect(piped.stdout).toMatch(/^ABC\nfile of 7 chars: received 7 of 7 bytes, 0 lost/);
});

it('serves 20 clients at once over each transport', async () => {
  const results = await Promise.all([...Array.from({ length: 20 }, (_, i) => tcp(String(10_000 + i))), ...Array.from({ length: 20 }, (_, i) => udp(String(10_000 + i)))]);
  results.forEach((result, i) => expect(result.stdout).toContain(`received ${10_000 + (i % 20)} of ${10_000 + (i % 20)} bytes, 0 lost`));
});

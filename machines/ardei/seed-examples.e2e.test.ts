/**
 * The seed's README for the TCP and UDP clients and servers, as written, through the npm scripts and a
 * terminal: "If an integer is recieved by the server then a file of the coresponding number of characters
 * will be generated and sent"; "Commands are quit or stream on the prompt. Stream swithes to streaming
 * mode"; anything else is echoed back; "the servers by default do not accept requests for greater than
 * 123456789 character transfers".
 */
import { EXIT } from '../../src/engine/exit-codes';
import {
  REPO,
  ardeiFreePortFlags,
  inTerminal,
  startServerCommand,
  type ServerProcess,
} from '../../src/test-support/processes';

const npm = (script: string, args: string[]) => ['npm', '--prefix', REPO, '--silent', 'run', script, '--', ...args];
const PROMPT = 'Enter a number for a file, "stream", "quit", or text to echo: ';

let server: ServerProcess;
let tcpPort: string;
let udpPort: string;
beforeAll(async () => {
  // The README's `npm run ardei:server` (TCP 8120 and UDP 8121), both ports picked by the OS.
  server = await startServerCommand(npm('ardei:server', ardeiFreePortFlags()), true);
  await server.logged(/ardei-udp server listening on [\d.]+:\d+/);
  tcpPort = /ardei server listening on [\d.]+:(\d+)/.exec(server.output())![1];
  udpPort = /ardei-udp server listening on [\d.]+:(\d+)/.exec(server.output())![1];
});
afterAll(async () => {
  process.kill(-server.child.pid!, 'SIGTERM');
  await server.exited;
});

describe.each([
  ['TCP', () => ['--port', tcpPort]],
  ['UDP', () => ['--udp', '--port', udpPort]],
])('npm run ardei:client over %s, on a terminal', (_transport, flags) => {
  it('a number gets a file of that many characters, stream asks for its three numbers, other text is echoed, quit leaves', async () => {
    const shown = await inTerminal(npm('ardei:client', flags()), '5000\nstream\n1\n3\n10\nhello seed\nquit\n');
    expect(shown.code).toBe(EXIT.ok);
    expect(shown.stdout.split(PROMPT)).toHaveLength(5);
    expect(shown.stdout).toContain('file of 5000 chars: received 5000 of 5000 bytes, 0 lost (0.0%)');
    expect(shown.stdout).toMatch(
      /Interval between segments \(ms\): .*Number of segments: .*Segment size \(bytes\): .*stream of 3 x 10 bytes: received 30 of 30 bytes, 0 lost/s,
    );
    expect(shown.stdout).toContain('HELLO SEED\n');
  });

  it("a file over the limit of 123456789 is refused with the server's line, and the session ends with exit 3", async () => {
    const shown = await inTerminal(npm('ardei:client', flags()), '123456790\nquit\n');
    expect(shown.stdout).toContain('Request for file of 123456790 chars. Server limit is: 123456790 chars.\n');
    expect(shown.code).toBe(EXIT.refused);
  });
});

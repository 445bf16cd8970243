/** Helpers for tests that run wirestate and its peers as real processes on loopback. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..');
export const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed after `timeoutMs`), capturing its output; `input`: its stdin, else none. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      timeout: options.timeoutMs ?? 30_000,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // Typed as maybe absent since stdin's kind is chosen at run time; both are pipes.
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin?.end(options.input);
  });
}

/** Runs the compiled `wirestate` command. */
export function wirestate(args: string[], cwd?: string): Promise<Finished> {
  return run(process.execPath, [CLI, ...args], { cwd });
}

export function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /**
   * Everything the server has written so far. Its log lines reach stdout a batch per event-loop turn,
   * after what they tell of (bytes sent, a reply): wait for a line with `logged`, or read it once exited.
   */
  output(): string;
  /** Resolves once the log matches `pattern`. */
  logged(pattern: RegExp): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Starts `wirestate server` on a free loopback port as its own process, optionally
 * under a wrapper command (`unshare ...`), and waits until it listens.
 */
export function startServerProcess(args: string[], wrapper: string[] = []): Promise<ServerProcess> {
  return startCliServer(['server', '-l', '0', '--host', '127.0.0.1', ...args], wrapper);
}

/**
 * The flags of `ardei server` on loopback, its TCP and UDP ports picked by the OS; given `root`, the advanced
 * server too (its port also picked), serving `root`; without, the advanced one stays off.
 */
export const ardeiFreePortFlags = (root?: string): string[] => [
  '--host',
  '127.0.0.1',
  '--tcp-port',
  '0',
  '--udp-port',
  '0',
  ...(root === undefined ? [] : ['--advanced', '0', '--root', root]),
];

/** `wirestate ardei server` with those flags (`ardeiFreePortFlags`). */
export const ardeiServerOnFreePorts = (root?: string): string[] => ['ardei', 'server', ...ardeiFreePortFlags(root)];

/** The TCP port an ardei server started on a free port listens on, once it says so. */
export async function ardeiTcpPort(server: ServerProcess): Promise<number> {
  await server.logged(/ardei server listening on [\d.]+:\d+/);
  return Number(/ardei server listening on [\d.]+:(\d+)/.exec(server.output())![1]);
}

/** Starts any `wirestate ...` server command (which must listen on port 0, loopback) and waits until it listens. */
export function startCliServer(cliArgs: string[], wrapper: string[] = []): Promise<ServerProcess> {
  return startServerCommand([...wrapper, process.execPath, CLI, ...cliArgs]);
}

/**
 * Starts a command that runs a wirestate server and waits until it listens. `group`: in a process group
 * of its own, for a command (an npm script) whose server is a child: stop it with `process.kill(-pid)`.
 */
export async function startServerCommand(command: string[], group = false): Promise<ServerProcess> {
  const child = spawn(command[0], command.slice(1), { detached: group, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logged = async (pattern: RegExp) => {
    while (!pattern.test(output)) {
      const more = await Promise.race([once(child.stdout, 'data').then(() => true), exited.then(() => false)]);
      if (!more && !pattern.test(output)) throw new Error(`server exited before logging ${pattern}:\n${output}`);
    }
  };
  await logged(/listening on [\d.]+:\d+/);
  return { child, port: Number(/listening on [\d.]+:(\d+)/.exec(output)![1]), output: () => output, logged, exited };
}

/**
 * Resolves once what `server` logged after its first `from` characters matches `pattern`: for a server shared by
 * several tests, whose earlier lines must not answer for this one.
 */
export async function loggedAfter(server: ServerProcess, from: number, pattern: RegExp): Promise<void> {
  while (!pattern.test(server.output().slice(from))) {
    if (server.child.exitCode !== null) throw new Error(`server exited before logging ${pattern}:\n${server.output()}`);
    await Promise.race([once(server.child.stdout!, 'data'), server.exited]);
  }
}

/** Runs `wirestate ...` on a terminal, typing `typed` into it (see `inTerminal`). */
export const wirestateInTerminal = (args: string[], typed: string): Promise<Finished> =>
  inTerminal([process.execPath, CLI, ...args], typed);

/**
 * Runs `command` with a terminal as its stdin and stdout (util-linux `script` makes the pty), typing
 * `typed` into it; the output is what the terminal showed, CRs removed. `onOutput` sees it as it grows.
 */
export function inTerminal(
  command: string[],
  typed: string,
  cwd?: string,
  onOutput?: (soFar: string) => void,
): Promise<Finished> {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command.map(quote).join(' '), '/dev/null'], {
      cwd,
      timeout: 30_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput?.(stdout);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: stdout.replace(/\r/g, ''), stderr }));
    child.stdin.end(typed);
  });
}

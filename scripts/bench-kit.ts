/**
 * What every part of `npm run bench` needs: starting servers on OS-chosen ports, running a client
 * with its CPU time and GC counts, reading a server's CPU time and memory from /proc, and the
 * statistics. Node processes run with --trace-gc, so full collections are counted from their
 * stdout (`Mark-Compact` lines).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { ServerOutput, countMarkCompacts } from './server-output';
import { undoIfInterrupted } from './bench-interrupt';

export const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');
export const MiB = 1024 * 1024;
const CLOCK_TICKS = 100;

/** Sizes like 1G, 256M, 64K or plain bytes. */
const SIZE = /^(\d+(?:\.\d+)?)\s*([KMG]i?B?)?$/i;

/** Whether `text` is a size `parseSize` reads. */
export const isSize = (text: string): boolean => SIZE.test(text.trim());

/** Parses sizes like 1G, 256M, 64K or plain bytes. */
export function parseSize(text: string): number {
  const match = SIZE.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text}`);
  const unit = (match[2] ?? '').toUpperCase()[0];
  const scale = unit === 'K' ? 1024 : unit === 'M' ? MiB : unit === 'G' ? 1024 * MiB : 1;
  return Math.round(Number(match[1]) * scale);
}

/** A long-lived server under measurement: its port, its Mark-Compacts so far (Node servers), and its process. */
export interface Server {
  name: string;
  port: number;
  child: ChildProcess;
  markCompacts: () => number;
  stop: () => void;
}

/**
 * Starts `command` and waits for a line matching `listening` (whose first group is the port, unless
 * `port` is given) on stdout or stderr, both written to a file the bench reads only when it asks
 * (server-output.ts): a chatty server's lines never take the measured clients' time.
 */
export async function startServer(
  name: string,
  command: string,
  argv: string[],
  listening: RegExp,
  timeoutSeconds: number,
  port?: number,
): Promise<Server> {
  const { output, server, failure } = spawnServer(name, command, argv, timeoutSeconds);
  for (;;) {
    const match = listening.exec(output.latest());
    if (match) return { ...server, port: port ?? Number(match[1]) };
    const failed = failure();
    if (failed) {
      server.stop();
      throw new Error(`${name}: ${failed}: ${output.latest().slice(-300)}`);
    }
    await sleep(10);
  }
}

/**
 * Starts a server that cannot report its port (nginx, seedpeer) on `port`, and waits until a
 * connection to it succeeds (bounded by `timeoutSeconds`).
 */
export async function startServerOnPort(
  name: string,
  command: string,
  argv: string[],
  port: number,
  timeoutSeconds: number,
): Promise<Server> {
  const { output, server, failure } = spawnServer(name, command, argv, timeoutSeconds);
  while (!(await accepts(port))) {
    const failed = failure();
    if (failed) {
      server.stop();
      throw new Error(`${name} not listening on ${port}, ${failed}: ${output.latest().trim().slice(-300)}`);
    }
    await sleep(20);
  }
  return { ...server, port };
}

/**
 * A server's process and output file, the Server it is before its port is known, and why it has failed to start,
 * if it has: it could not be run at all, it ended, or `timeoutSeconds` passed. Killed, its output removed, if a
 * signal stops the bench.
 */
function spawnServer(name: string, command: string, argv: string[], timeoutSeconds: number) {
  const output = new ServerOutput();
  const child = spawn(command, argv, { stdio: ['ignore', output.fd, output.fd] });
  const deadline = performance.now() + timeoutSeconds * 1000;
  let notRun: Error | undefined;
  child.once('error', (error) => (notRun = error));
  const failure = (): string | undefined => {
    if (notRun) return `could not be run (${notRun.message})`;
    const ended = child.exitCode ?? child.signalCode;
    if (ended !== null) return `exited ${String(ended)} before listening`;
    return performance.now() > deadline ? `not listening within ${timeoutSeconds} s` : undefined;
  };
  const stop = () => {
    child.kill('SIGKILL');
    output.close();
  };
  const stopped = undoIfInterrupted(stop);
  const server: Server = {
    name,
    port: 0,
    child,
    markCompacts: () => output.markCompacts(),
    stop: () => {
      stopped();
      stop();
    },
  };
  return { output, server, failure };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** What one client run cost: CPU seconds (user + system, its whole process tree) and Mark-Compacts. */
export interface Run {
  cpuSeconds: number;
  markCompacts: number;
}

/**
 * Runs a client to its end under bash, whose `times` then reports the CPU its children used (the
 * only way to get a finished child's CPU time from Node). Rejects on a non-zero exit; after
 * `timeoutSeconds` the whole process group is killed (bash would wait for its child).
 */
export function runClient(command: string, argv: string[], timeoutSeconds: number): Promise<Run> {
  const child = spawn('bash', ['-c', '"$@"; code=$?; times >&3; exit $code', 'bench-client', command, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutSeconds * 1000);
  let stdout = '';
  let stderr = '';
  let times = '';
  let markCompacts = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    markCompacts += countMarkCompacts(text);
    stdout = (stdout + text).slice(-2048);
  });
  /** How many lines it wrote to stderr: one failed file each, for a client moving many (only the last few are kept). */
  let stderrLines = 0;
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2048);
    stderrLines += chunk.toString().split('\n').length - 1;
  });
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (times += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(
          new Error(
            `${[command, ...argv].slice(0, 4).join(' ')} exited ${String(code ?? signal)}, ${stderrLines} line(s) on stderr: ${stderr.trim().slice(-300) || stdout.trim().slice(-300)}`,
          ),
        );
        return;
      }
      resolve({ cpuSeconds: childrenCpuSeconds(times), markCompacts });
    });
  });
}

/** The second line of bash's `times`: user and system time of the shell's children, as `0m1.234s 0m0.567s`. */
function childrenCpuSeconds(times: string): number {
  const line = times.trim().split('\n')[1] ?? '';
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (total, [, minutes, seconds]) => total + Number(minutes) * 60 + Number(seconds),
    0,
  );
}

/** A process and all its descendants, from /proc (ppid is the 4th field of /proc/PID/stat). */
function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = readStat(Number(entry));
    if (!fields) continue;
    const ppid = Number(fields[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [root];
  // for-of also visits the entries pushed while it runs: the whole tree, breadth first.
  for (const pid of tree) tree.push(...(parents.get(pid) ?? []));
  return tree;
}

/** The fields of /proc/PID/stat after the command name (field 3, state, comes first), or undefined once it is gone. */
function readStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds a server's process tree has used so far, children it has reaped included (socat forks one per connection). */
export function serverCpuSeconds(server: Server): number {
  let ticks = 0;
  for (const pid of processTree(server.child.pid!)) {
    const fields = readStat(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / CLOCK_TICKS;
}

/** A memory figure of /proc/PID/status (VmHWM: peak, VmRSS: now) in MiB, summed over the server's process tree. */
export function serverMemoryMiB(server: Server, field: 'VmHWM' | 'VmRSS'): number {
  let kib = 0;
  for (const pid of processTree(server.child.pid!)) {
    try {
      const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += match ? Number(match[1]) : 0;
    } catch {
      // the process ended between listing and reading
    }
  }
  return kib / 1024;
}

/** Whether `command` is on the PATH. */
export function installed(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((folder) => folder !== '' && existsSync(join(folder, command)));
}

/** Writes `size` bytes of a fixed, non-repeating-per-byte pattern (not zeros, which some paths shortcut). */
export async function makeFile(path: string, size: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const block = Buffer.alloc(Math.min(MiB, Math.max(size, 1)));
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < size; written += block.length)
      await handle.write(block, 0, Math.min(block.length, size - written));
  } finally {
    await handle.close();
  }
}

export async function verifySize(path: string, size: number): Promise<void> {
  const actual = (await stat(path)).size;
  if (actual !== size) throw new Error(`${path} has ${actual} bytes, expected ${size}`);
}

/** Waits until `path` holds `size` bytes (a server that writes after its client has left), bounded by `timeoutSeconds`. */
export async function waitForSize(path: string, size: number, timeoutSeconds: number): Promise<void> {
  const deadline = performance.now() + timeoutSeconds * 1000;
  for (;;) {
    const actual = await stat(path).then(
      (info) => info.size,
      () => -1,
    );
    if (actual === size) return;
    if (performance.now() > deadline)
      throw new Error(`${path} has ${actual} bytes after ${timeoutSeconds} s, expected ${size}`);
    await sleep(2);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The value below which `fraction` of `values` lie (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export function median(values: number[]): number {
  return percentile(values, 0.5);
}

/** Formats a number for a table: '–' when there is none. */
export function figure(value: number | undefined, digits = 0): string {
  return value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

/** Prints rows as aligned columns, the first row being the header. */
export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join('  '),
    );
}

/** `order` rotated by `round`, so each step takes each position in turn across rounds. */
export function rotated<T>(order: T[], round: number): T[] {
  return order.map((_, index) => order[(index + round) % order.length]);
}

/**
 * The independent peers in `../shared/tools/` (written apart from wirestate, checked byte for byte against
 * the original programs): ftpeer.py for transfer, seedpeer.py for queue, share, ardei and ardei advanced.
 * Only the interop suite (`npm run test:interop`) uses them; `WIRESTATE_PEERS` points elsewhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, freePort, run, type Finished } from './processes';
import { python } from './python';

export const PEERS_DIR = process.env.WIRESTATE_PEERS ?? join(REPO, '..', 'shared', 'tools');
export const FTPEER = join(PEERS_DIR, 'ftpeer.py');
export const SEEDPEER = join(PEERS_DIR, 'seedpeer.py');

/** Why the peers cannot run here, or undefined when they can. */
export function missingPeers(): string | undefined {
  const absent = [FTPEER, SEEDPEER].filter((path) => !existsSync(path));
  if (absent.length === 0) return undefined;
  return `the interop tests need the independent peers, not found: ${absent.join(', ')} (set WIRESTATE_PEERS to their folder)`;
}

/** Runs `seedpeer.py ARGS...` to completion. */
export function seedpeer(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<Finished> {
  return run(python(), [SEEDPEER, ...args], options);
}

export interface PeerServer {
  port: number;
  /** What the peer has logged on stderr so far (one line per request). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts a peer's server (`seedpeer.py <protocol> serve PORT ...`, or ftpeer's) on a free port; resolves once it listens. */
export async function startPeerServer(
  script: string,
  args: (port: number) => string[],
  cwd?: string,
): Promise<PeerServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(python(), [script, ...args(port)], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve();
    });
    void exited.then(() => reject(new Error(`${script} ${args(port).join(' ')} exited before listening:\n${stderr}`)));
  });
  return {
    port,
    log: () => stderr,
    stop: async () => {
      child.kill();
      await exited;
    },
  };
}

/** A CLI process run in a folder with what it says kept: `stderr()` and `stdout()` are all of it so far. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export function watchedClient(folder: string, args: string[]) {
  const child = spawn(process.execPath, args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  let said = '';
  let printed = '';
  child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, stderr: () => said, stdout: () => printed };
}

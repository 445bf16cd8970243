/**
 * The Python interpreter the tests run peers and helper clients with: the `python3` on PATH, resolved to its
 * executable once per test file. A version manager's shim in front of it (pyenv's: a shell script that finds
 * the version, ~0.5 s a start on this machine) then runs once per file, not once for each peer it starts.
 */
import { execFileSync } from 'node:child_process';

let resolved: string | undefined;

/** The path of the interpreter `python3` runs (`python3` itself if it cannot say). */
export function python(): string {
  resolved ??= whichPython();
  return resolved;
}

function whichPython(): string {
  try {
    const path = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    return path === '' ? 'python3' : path;
  } catch {
    return 'python3';
  }
}

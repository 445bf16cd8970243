/**
 * What `wirestate replay --check` costs on a trace holding one big frame: takes the recorded upload
 * (fixtures/traces/transfer/upload-ok.server.jsonl), makes its file SIZE MiB sent in one `in` entry, and runs
 * `replay --check` on it under GNU time (/usr/bin/time), which reports the peak resident memory. Prints the
 * peak and its ratio to the frame. The check replays the frame three times, once in 1-byte pieces: expect
 * minutes for tens of MiB.
 *
 *   node dist/scripts/replay-memory.js [SIZE_MIB]     (default 16)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src', 'cli', 'main.js');
const RECORDED = join(REPO, 'fixtures', 'traces', 'transfer', 'upload-ok.server.jsonl');

/** The recorded upload's lines, its file replaced by `size` bytes: the size frame, the data and the outcome follow. */
async function bigUploadTrace(size: number): Promise<string> {
  const [header, ...entries] = (await readFile(RECORDED, 'utf8')).trim().split('\n');
  const sizeFrame = Buffer.alloc(8);
  sizeFrame.writeBigUInt64BE(BigInt(size));
  const file = Buffer.alloc(size, 'wirestate ');
  let inbound = 0;
  const lines = entries.map((line) => {
    const entry = JSON.parse(line) as Record<string, unknown>;
    // The upload's inbound entries: its request, its size frame, its data.
    if ('in' in entry && ++inbound === 2) entry.in = sizeFrame.toString('base64');
    else if ('in' in entry && inbound === 3) entry.in = file.toString('base64');
    else if ('outcome' in entry) entry.outcome = { ...(entry.outcome as object), bytes: size };
    return JSON.stringify(entry);
  });
  return `${[header, ...lines].join('\n')}\n`;
}

async function main(mib: number): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'wirestate-replay-memory-'));
  try {
    const trace = join(folder, 'big.jsonl');
    await writeFile(trace, await bigUploadTrace(mib * 1024 * 1024));
    const child = spawn('/usr/bin/time', ['-f', 'peak %M KiB', process.execPath, CLI, 'replay', '--check', trace], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const peakKiB = Number(/peak (\d+) KiB/.exec(stderr)?.[1]);
    for (const line of stdout.split('\n').filter((text) => text.startsWith('replay '))) console.log(line);
    if (code !== 0 || !peakKiB) throw new Error(`replay --check exited ${String(code)}: ${stderr.slice(-500)}`);
    console.log(
      `frame ${mib} MiB: peak RSS ${(peakKiB / 1024).toFixed(0)} MiB, ${(peakKiB / 1024 / mib).toFixed(1)}x the frame`,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

main(Number(process.argv[2] ?? 16)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

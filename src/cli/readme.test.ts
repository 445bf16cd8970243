/**
 * The README's "Set up" and "A first transfer" commands, taken from the README itself and run as
 * written, in order, in a fresh clone: when the README drifts from what works, this fails.
 *
 * Two stand-ins, both outside the commands themselves: `npm install` runs with npm's `offline` setting,
 * from the package cache the install of this checkout filled (no network in a test); and the whole run
 * happens in a network namespace of its own (`unshare -rn`), so the README's fixed ports (50000, 50001)
 * never meet a server already running on this machine. A command whose comment says "leave it
 * running" is started in the background, and the next command waits for it to listen. The install
 * leaves the clone as it was: no file of it changes (the lock file's entries stay as committed).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, run } from '../test-support/processes';

/** The commands of every `sh` block under the README heading `## title`, one per line, with their comments. */
function commandsUnder(readme: string, title: string): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith(`${title}\n`)) ?? '';
  const blocks = [...section.matchAll(/^```sh\n([^]*?)^```$/gm)].map((match) => match[1]);
  return blocks.flatMap((block) => block.split('\n')).filter((line) => line.trim() !== '');
}

const withoutComment = (line: string) => line.replace(/\s+#.*$/, '');

/** A bash script running `lines` in order in `clone`, stopping at the first failure; background jobs stopped at the end. */
function scriptFor(lines: string[], clone: string, logs: string): string {
  const steps = lines.map((line, index) => {
    const command = withoutComment(line);
    if (!line.includes('leave it running')) return `echo "$ ${command}"\n${command}`;
    const log = join(logs, `background-${index}.log`);
    return [
      `echo "$ ${command} &"`,
      `${command} > '${log}' 2>&1 &`,
      'background="$background $!"',
      // Bounded: 600 looks, 0.1 s apart.
      `n=0; until grep -qE 'listening on|proxy on' '${log}'; do n=$((n + 1)); if [ $n -gt 600 ]; then cat '${log}'; exit 1; fi; sleep 0.1; done`,
    ].join('\n');
  });
  return [
    'set -e -m',
    'ip link set lo up',
    `cd '${clone}'`,
    "trap 'for pid in $background; do kill -TERM -- -$pid 2>/dev/null || true; done' EXIT",
    ...steps,
  ].join('\n');
}

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'wirestate-readme-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

it('runs the README\'s "Set up" and "A first transfer" commands, in order, in a fresh clone', async () => {
  const clone = join(base, 'wirestate');
  expect((await run('git', ['clone', '--quiet', REPO, clone])).code).toBe(0);
  const readme = await readFile(join(clone, 'README.md'), 'utf8');
  const lines = [...commandsUnder(readme, 'Set up'), ...commandsUnder(readme, 'A first transfer')];
  expect(lines.length).toBeGreaterThan(3);

  const result = await run('unshare', ['-rn', 'bash', '-c', scriptFor(lines, clone, base)], {
    timeoutMs: 400_000,
    env: { ...process.env, npm_config_offline: 'true' },
  });
  expect(result).toMatchObject({ code: 0 });
  expect(lines.map(withoutComment)).toContain('npm install');
  // No committed file changed (the transfer's own files are new, not changed).
  expect((await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: clone })).stdout).toBe('');
  const speech = await readFile(join(REPO, 'fixtures', 'samples', 'files', 'speech.txt'));
  for (const copy of ['direct_speech.txt', 'client_speech.txt', join('files', 'server_speech.txt')]) {
    expect(await readFile(join(clone, copy))).toEqual(speech);
  }
  expect(result.stdout).toMatch(/^server_speech\.txt\nspeech\.txt$/m);
  // `--list`: the same two files, with their sizes and times.
  expect(result.stdout).toMatch(
    /^1\.44 KiB {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}server_speech\.txt\n1\.44 KiB {2}.+Z {2}speech\.txt$/m,
  );
}, 420_000);

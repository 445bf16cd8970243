/**
 * Every command's `--help` at 80 columns and in a narrow one (60) ($COLUMNS, as a pipe has no width): no line
 * wider than the screen, and each example a whole command (before: yargs gave examples half the width and cut
 * the commands mid-way, `--store` on one line and `queue.lmdb` on the next).
 */
import { run, CLI } from '../test-support/processes';

const help = async (command: string[], columns: number): Promise<string> => {
  const result = await run(process.execPath, [CLI, ...command, '--help'], {
    env: { ...process.env, COLUMNS: String(columns) },
  });
  expect(result.code).toBe(0);
  return result.stdout;
};

/**
 * The commands a help lists (`wirestate queue server <port> ...` gives `queue server`), above its examples: an
 * example (`wirestate blocks server 12002`) is a command already listed, whose help it would run again.
 */
const listedCommands = (text: string, parent: string[]): string[][] =>
  [...text.split(/^Examples:$/m)[0].matchAll(/^ {2}wirestate ((?:[\w-]+ )*?[\w-]+)(?= {2}| <| \[|$)/gm)]
    .map((match) => match[1].split(' '))
    .filter((words) => words.length === parent.length + 1);

/** Every command and role with its help at 80 columns, found the way a person would: each help's list of commands, followed down. */
async function everyCommand(): Promise<[string[], string][]> {
  const found: [string[], string][] = [];
  const waiting: string[][] = [[]];
  for (let command = waiting.shift(); command; command = waiting.shift()) {
    const text = await help(command, 80);
    found.push([command, text]);
    waiting.push(...listedCommands(text, command));
  }
  return found;
}

/** The Examples section's commands, a command's ` \` lines joined back, and whether each is followed by its description. */
function exampleCommands(text: string): { commands: string[]; described: boolean } {
  const section = /^Examples:\n((?: .*\n)+)/m.exec(text)?.[1] ?? '';
  const commands: string[] = [];
  let described = true;
  for (const line of section.split('\n').filter(Boolean)) {
    const indent = /^ */.exec(line)![0].length;
    if (indent === 2) commands.push(line.trim());
    else if (indent === 4 && commands[commands.length - 1].endsWith(' \\'))
      commands[commands.length - 1] = `${commands[commands.length - 1].slice(0, -2)} ${line.trim()}`;
    else described &&= indent === 6 && !commands[commands.length - 1].endsWith(' \\');
  }
  return { commands, described };
}

it('every --help fits 80 columns and 60, names no seed number, and its examples are whole commands, each with its description below', async () => {
  const commands = await everyCommand();
  expect(commands.map(([words]) => words.join(' '))).toEqual(
    expect.arrayContaining(['', 'queue server', 'share client', 'serve-all', 'proxy', 'replay', 'completion']),
  );
  // Each help at 80 columns (found above) and at 60. A cut example shows in either as a line that is neither a
  // command, its ` \` continuation nor its description (described), and as examples that differ between the two
  // widths, which cut at different places: so a third, wider help of each command showed nothing more.
  for (const [command, at80] of commands) {
    const narrow = await help(command, 60);
    for (const [text, columns] of [
      [at80, 80],
      [narrow, 60],
    ] as const)
      expect({ command, over: text.split('\n').filter((line) => line.length > columns) }).toEqual({
        command,
        over: [],
      });
    const examples = exampleCommands(at80);
    expect({ command, narrow: exampleCommands(narrow) }).toEqual({ command, narrow: examples });
    expect({ command, described: examples.described }).toEqual({ command, described: true });
    // The seeds' numbers mean nothing to a newcomer: each help names what its command does (a wrap may split them).
    expect({ command, seed: /seed\s+\d/.exec(at80)?.[0] }).toEqual({ command, seed: undefined });
  }
  // Short processes, two per command, one after another: slow on a loaded machine.
}, 240_000);

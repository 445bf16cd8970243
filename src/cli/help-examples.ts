/**
 * A command's examples for `--help`, each command on lines of its own and its description below, never cut
 * inside the command: yargs's own examples get half the width, so at 80 columns a command wrapped mid-word
 * and could not be copied. A command wider than the screen goes on over lines ending in ` \`, as a shell reads it.
 */
import { helpWidth } from './help-width';

const INDENT = '  ';
const GOES_ON = '    ';
const DESCRIPTION = '      ';

/** The "Examples:" section of a command's epilog, from [command, what it does] pairs (`$0` is `wirestate`). */
export function examples(...pairs: [command: string, description: string][]): string {
  const width = helpWidth();
  const lines = pairs.flatMap(([command, description]) => [
    ...commandLines(command.replace(/\$0/g, 'wirestate'), width),
    `${DESCRIPTION}${description}`,
  ]);
  return ['Examples:', ...lines, ''].join('\n');
}

/** `command` over as many lines as the width needs, broken between words only; each line but the last ends in ` \`. */
function commandLines(command: string, width: number): string[] {
  // A quoted argument is one word: a break inside its quotes would change it.
  const words = command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [command];
  const lines: string[] = [];
  let line = `${INDENT}${words[0]}`;
  words.slice(1).forEach((word, index) => {
    const last = index === words.length - 2;
    if (`${line} ${word}${last ? '' : ' \\'}`.length <= width) line = `${line} ${word}`;
    else {
      lines.push(`${line} \\`);
      line = `${GOES_ON}${word}`;
    }
  });
  return [...lines, line];
}

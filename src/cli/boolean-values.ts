/**
 * A switch given a value (`--json=1`, `--udp=yes`, `-q=1`): yargs reads every value but `true` as false, so the
 * command would run as if the switch were off. Refused in one line; `=true` and `=false` mean what they say.
 */

const SAYS_ITSELF = ['true', 'false'];

/** A yargs check over the words typed (`argv`) before `--`: the parser's options name the switches and their aliases. */
export const refuseBooleanValues =
  (argv: string[]) =>
  (_args: unknown, options: { boolean: string[]; alias?: Record<string, string[]> }): true => {
    const switches = new Set(options.boolean.flatMap((key) => [key, ...(options.alias?.[key] ?? [])]));
    const end = argv.indexOf('--');
    for (const word of end < 0 ? argv : argv.slice(0, end)) {
      const match = /^(-{1,2}(?:no-)?)([^=]+)=(.*)$/s.exec(word);
      if (!match) continue;
      const [, dashes, name, value] = match;
      if (!switches.has(name) || SAYS_ITSELF.includes(value)) continue;
      throw new Error(`${dashes}${name} takes no value: write ${dashes}${name}, not ${word}`);
    }
    return true;
  };

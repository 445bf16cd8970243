/**
 * `--inspect ""` and `--inspect=` name no port. yargs reads them as it reads a bare `--inspect` (an empty
 * string), which would quietly serve the default port; only the words typed tell them apart.
 */
import { DEFAULT_INSPECT_PORT } from './inspect-options';

/** A yargs check over any command's parsed `args`; `argv`: the words typed. */
export const refuseEmptyInspectPort =
  (argv: string[]) =>
  (args: Record<string, unknown>): true => {
    const typedEmpty = argv.some(
      (word, index) => word === '--inspect=' || (word === '--inspect' && argv[index + 1] === ''),
    );
    if (args.inspect !== undefined && typedEmpty)
      throw new Error(
        `--inspect is empty: give a port (0 picks a free one), or write --inspect alone for ${DEFAULT_INSPECT_PORT}`,
      );
    return true;
  };

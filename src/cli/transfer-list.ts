/**
 * `--list-file`: the files of one client run, one a line. `REMOTE<TAB>LOCAL` takes any names; without a tab,
 * `REMOTE LOCAL` (two words) or `REMOTE` alone (the same name on both sides). Blank lines and lines starting
 * with `#` are skipped; a CR before the newline is dropped.
 */

/** One file of a run: its name on the server and the local file it comes from or goes to. */
export interface FilePair {
  remote: string;
  local: string;
}

/** Thrown for a line that names no pair; says which line and how to write it. */
export class ListLineError extends Error {}

export function parseTransferList(text: string): FilePair[] {
  return text.split('\n').flatMap((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return [];
    const tab = line.indexOf('\t');
    if (tab >= 0) {
      const remote = line.slice(0, tab);
      const local = line.slice(tab + 1);
      if (remote === '' || local === '')
        throw new ListLineError(`line ${index + 1}: REMOTE<TAB>LOCAL needs a name on each side of the tab`);
      return [{ remote, local }];
    }
    const words = line.trim().split(/ +/);
    if (words.length > 2)
      throw new ListLineError(
        `line ${index + 1} has ${words.length} words: put a tab between REMOTE and LOCAL when a name holds spaces`,
      );
    return [{ remote: words[0], local: words[1] ?? words[0] }];
  });
}

/**
 * The lab exercises' keyboard input: on a terminal each question is asked
 * with its prompt; otherwise the answers are read from stdin a line at a
 * time, with no prompt, so the clients also run in scripts and pipes.
 */
import { createInterface } from 'node:readline';

export interface Prompter {
  /** The next line typed or piped in, or undefined once input has ended. */
  ask(question: string): Promise<string | undefined>;
  close(): void;
}

/** `output`: where the questions (and, on a terminal, the typed echo) go. */
export function prompter(output: NodeJS.WritableStream = process.stdout): Prompter {
  // Node sets isTTY only on a terminal, though its type says boolean: `terminal` must be false, not undefined,
  // or readline guesses.
  const terminal = process.stdin.isTTY ?? false;
  const reader = createInterface({ input: process.stdin, terminal, output: terminal ? output : undefined });
  const lines = reader[Symbol.asyncIterator]();
  return {
    async ask(question) {
      if (terminal) output.write(question);
      const next = await lines.next();
      return next.done ? undefined : next.value;
    },
    close: () => reader.close(),
  };
}

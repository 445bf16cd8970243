/** A failure the person running a command can act on: the one line to print and the exit code it means. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The shape every `wirestate` command's module gives, so that the command line loads it only when named. */
import type { ArgumentsCamelCase, Argv } from 'yargs';

/** What a command adds to yargs once the command line names it: its flags (or its roles) and what it runs. */
export interface CommandBody {
  builder(yargs: Argv): Argv<unknown>;
  handler?(args: ArgumentsCamelCase): void | Promise<void>;
}

/** A command as `wirestate --help` lists it; `load` brings in its module (and its protocol's machines) only when it runs. */
export interface CommandEntry {
  /** yargs's command string: the name, then any positional arguments. */
  usage: string;
  describe: string;
  load(): Promise<CommandBody>;
}

/** Adds `body` to `parser` as the command `usage` (its methods called on it, never taken off it). */
export const addCommand = (parser: Argv, usage: string, describe: string, body: CommandBody): Argv =>
  parser.command(
    usage,
    describe,
    (yargs) => body.builder(yargs),
    (args) => body.handler?.(args),
  );

/** The transfer protocol's two roles, listed both at the top (`wirestate server`) and under `wirestate transfer`. */
export const TRANSFER_ROLES = {
  server: 'Serve a folder over the transfer protocol',
  client: 'Download or upload a file over the transfer protocol',
};

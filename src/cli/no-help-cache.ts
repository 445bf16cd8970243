/**
 * yargs renders the whole help of the command it runs just before running it, and keeps it for a later
 * `showHelp` (yargs's command.js `cacheHelpMessage`): about 17 ms of a one-file client run, a tenth of its
 * CPU. wirestate never shows help once a command has started (a failure is one line: cli.ts `fail`), so the
 * parser keeps no such copy; `--help` itself renders as before.
 */
import type { Argv } from 'yargs';

/** The part of yargs's internals this reaches: its usage instance (yargs 17). */
interface UsageInternals {
  getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } };
}

/** `parser`, which no longer renders its help before running a command. */
export function withoutHelpCache(parser: Argv): Argv {
  (parser as unknown as UsageInternals).getInternalMethods().getUsageInstance().cacheHelpMessage = () => undefined;
  return parser;
}

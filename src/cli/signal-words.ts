/** How a signal that stops a command is reported: its exit code and its name in a line. Imports nothing (early-signals.ts loads it first). */

/** The exit code a shell reports for a process the signal stopped: 128 and its number. */
export const signalExitCode = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);

/** How a line names the signal that stopped a run: Ctrl-C for SIGINT, as a person types it. */
export const signalWords = (signal: NodeJS.Signals): string => (signal === 'SIGINT' ? 'Ctrl-C' : signal);

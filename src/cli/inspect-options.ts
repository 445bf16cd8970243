/** `--inspect [PORT]` and `--inspect-stately`: watch every connection's machine live (README: "Inspector"). */
import type { Argv } from 'yargs';
import { isPort } from './host-port';
import { givenOnce } from './repeatable-option';
import type { Inspection, InspectionNotes } from './inspection';

/** The inspector's port when `--inspect` comes without one. */
export const DEFAULT_INSPECT_PORT = 50080;

export function withInspectOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('inspect', {
      type: 'string',
      describe: `Serve the live inspector on http://127.0.0.1:PORT (PORT defaults to ${DEFAULT_INSPECT_PORT}; 0 picks a free one)`,
      coerce: givenOnce('inspect', inspectPort),
    })
    .option('inspect-stately', {
      type: 'boolean',
      default: false,
      describe: "Also send the inspection stream to Stately's hosted inspector (needs internet)",
    });
}

/** `--inspect`'s optional PORT. A word after it is taken as its value, so say how to write the default port before other words. */
function inspectPort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === '') return DEFAULT_INSPECT_PORT;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!isPort(port)) throw new Error(notAPort(value));
  return port;
}

/** The line for a `value` given to `--inspect` that is no port. */
export const notAPort = (value: string): string =>
  `--inspect takes a port 0..65535, not "${value}" (for the default port, put --inspect after the other words or write --inspect=${DEFAULT_INSPECT_PORT})`;

/** A client's notes: straight to stderr, whatever its log level. */
export const toStderr: InspectionNotes = {
  info: (line) => process.stderr.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Starts what the flags ask for; undefined when inspection is off, so no inspection work happens and
 * none of its modules (the page's server, ws, superjson, every protocol's trace support) is loaded.
 */
export async function startInspection(
  args: { inspect?: number; 'inspect-stately': boolean },
  log: InspectionNotes,
): Promise<Inspection | undefined> {
  if (args.inspect === undefined && !args['inspect-stately']) return undefined;
  return (await import('./inspection')).inspect(args, log);
}

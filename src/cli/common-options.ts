/** Flags every wirestate command shares, so they mean the same everywhere. */
import type { Argv } from 'yargs';
import { withInspectOptions } from './inspect-options';
import { declareLogStream, type LogStream } from './log-stream';
import { checkRecordFolder } from './record-folder';

/** `--debug` (logging `debugged`: the machines' steps, or the proxy's fragments) and `--log-format`, the logs going to `stream`. */
export function withLogOptions<T>(yargs: Argv<T>, stream: LogStream, debugged = 'every state transition') {
  return withLogFormat(
    yargs.option('debug', {
      alias: 'd',
      type: 'boolean',
      default: false,
      describe: `Debug logging: ${debugged}`,
    }),
    stream,
    'Log line format (json: one object per line, with fields); servers log on stdout, clients on stderr',
  );
}

/**
 * `--log-format`, which every command takes, before its words or after (a command that logs nothing still
 * writes its failure line as JSON), its lines going to `stream`.
 */
export function withLogFormat<T>(
  yargs: Argv<T>,
  stream: LogStream,
  describe = 'Format of the failure line (json: one object, on stderr)',
) {
  declareLogStream(stream);
  return yargs.option('log-format', {
    choices: ['pretty', 'json'] as const,
    default: 'pretty' as const,
    describe,
  });
}

/** `--record DIR`: one trace file per connection (README: "Traces"). */
export function withRecordOption<T>(yargs: Argv<T>) {
  return yargs
    .option('record', { type: 'string', describe: 'Write a trace file per connection into this folder' })
    .check((args) => {
      if (typeof args.record === 'string') checkRecordFolder(args.record);
      return true;
    });
}

/** `--idle-timeout SECONDS`: how long a peer may send nothing while a connection waits for it. */
export function withIdleTimeout<T>(yargs: Argv<T>, seconds = 30) {
  return yargs
    .option('idle-timeout', {
      type: 'number',
      default: seconds,
      describe: 'Seconds the peer may send nothing while a state waits for it (a moving transfer is never cut)',
    })
    .check((args) => {
      if (!(args['idle-timeout'] > 0)) throw new Error('--idle-timeout must be more than 0 seconds');
      return true;
    });
}

/**
 * Wraps a command's builder so that every flag taking a value (a string, a number, a choice, a list) refuses to
 * go without one: yargs would quietly use the default for `-l`, `--mode` or `--log-format` at the end of the
 * line, and an empty `--except` would leave nothing out. `--inspect`'s PORT stays optional.
 */
export function valuesRequired<Builder extends (yargs: Argv) => Argv<unknown>>(build: Builder): Builder {
  const wrapped = (yargs: Argv) => {
    const built = build(yargs);
    const { string, number, array, choices } = optionsOf(built);
    const takingValues = new Set([...string, ...number, ...array, ...Object.keys(choices)]);
    takingValues.delete('inspect');
    return built.requiresArg([...takingValues]);
  };
  return wrapped as Builder;
}

/** What yargs knows of the options declared so far (its types leave this method out). */
interface DeclaredOptions {
  string: string[];
  number: string[];
  array: string[];
  choices: Record<string, unknown[]>;
}
export const optionsOf = (yargs: Argv<unknown>): DeclaredOptions =>
  (yargs as unknown as { getOptions(): DeclaredOptions }).getOptions();

/** Flags every protocol's client takes; `idleSeconds` is how long it waits for the server by default. */
export function withClientOptions<T>(yargs: Argv<T>, idleSeconds: number) {
  return withIdleTimeout(withInspectOptions(withRecordOption(withLogOptions(yargs, 'stderr'))), idleSeconds);
}

/** The logger a command's `--debug` and `--log-format` ask for (winston, loaded when a command runs, not for --help). */
import { createLogger, type LogFormat, type Logger } from '../log/logger';
import { logStream } from './log-stream';

/** Writes on the stream the command declared (`withLogOptions`); `quietLevel`: the least it logs without --debug. */
export function loggerFrom(args: { debug: boolean; 'log-format': LogFormat }, quietLevel?: 'error'): Logger {
  const log = createLogger({ debug: args.debug, format: args['log-format'], stderr: logStream() === 'stderr' });
  if (quietLevel && !args.debug) log.level = quietLevel;
  return log;
}

/** With `--log-format json`, a client's own lines (start, notes, result, error) as JSON objects on stderr, at info. */
export const jsonNotes = (args: { 'log-format': LogFormat }): Logger | undefined =>
  args['log-format'] === 'json' ? createLogger({ debug: false, format: 'json', stderr: true }) : undefined;

/**
 * The stream a command logs on, as its flags declare it (servers and the proxy: stdout, clients: stderr, see
 * `withLogOptions`): its logger writes there, and so does its failure line under `--log-format json`.
 */
export type LogStream = 'stdout' | 'stderr';

let declared: LogStream = 'stdout';

/** Called by the command's builder, which yargs runs once the line names that command. */
export const declareLogStream = (stream: LogStream): void => {
  declared = stream;
};

export const logStream = (): LogStream => declared;

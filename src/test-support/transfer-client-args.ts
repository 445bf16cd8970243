/** The command lines of a quiet `wirestate client` against a transfer server on loopback, as tests run it. */

/** Uploads the local file `local` to the server on `port` as `remote`. */
export const uploadArgs = (port: number, local: string, remote: string): string[] => [
  'client',
  '-q',
  '-m',
  'upload',
  '-s',
  `127.0.0.1:${port}`,
  '-l',
  local,
  '-v',
  remote,
];

/** Downloads `remote` from the server on `port` into the local file `local`. */
export const downloadArgs = (port: number, remote: string, local: string): string[] => [
  'client',
  '-q',
  '-s',
  `127.0.0.1:${port}`,
  '-v',
  remote,
  '-l',
  local,
];

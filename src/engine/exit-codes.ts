/** Exit codes of `wirestate client`: each failure a person would handle differently has its own. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  /** The server answered F: no such file, name exists, name busy, or no room. */
  refused: 3,
  /** The server answered E, or could not store an upload. */
  serverError: 4,
  /** The connection broke or the server broke the protocol mid-transfer. */
  interrupted: 5,
  cannotConnect: 6,
  /** The local file cannot be read or written, or there is no room for it. */
  localFile: 7,
  /** A server cannot listen on its port: it is in use (or not allowed). */
  cannotListen: 8,
  /** The file's bytes did not match the SHA-256 its sender gave: nothing was kept. */
  integrity: 9,
  /** `--list` against a server that cannot list: an original server, or one that did not agree `list`. */
  cannotList: 10,
  /** A server's --host is no address of this machine: a name that does not resolve, or an address on no interface. */
  hostNotHere: 11,
} as const;

/** A protocol's client outcomes and the exit code each means. */
export type ExitCodes = Readonly<Record<string, number>>;

/** The file-moving clients (transfer, ardei advanced): which outcome means which exit code. */
export const FILE_TRANSFER_EXITS: ExitCodes = {
  downloaded: EXIT.ok,
  uploaded: EXIT.ok,
  listed: EXIT.ok,
  cannot_list: EXIT.cannotList,
  refused: EXIT.refused,
  server_error: EXIT.serverError,
  not_stored: EXIT.serverError,
  corrupted: EXIT.integrity,
  no_room: EXIT.localFile,
  local_error: EXIT.localFile,
};

/** The one-shot text clients (upper, sum, and any protocol run by the generic client). */
export const TEXT_CLIENT_EXITS: ExitCodes = { replied: EXIT.ok, refused: EXIT.refused };

export function exitCodeFor(outcome: string, codes: ExitCodes = FILE_TRANSFER_EXITS): number {
  return codes[outcome] ?? EXIT.interrupted;
}

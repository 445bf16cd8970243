/** What a system error code means, in the words a person reads (`ENOENT` alone says nothing to most). */
const WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'it exists already',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EADDRINUSE: 'the port is in use',
  EADDRNOTAVAIL: 'the address is not on this machine',
  ECONNREFUSED: 'connection refused (nothing listens there)',
  ECONNRESET: 'the connection was reset by the other side',
  EPIPE: 'the other side closed the connection',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
};

/** `code` in words, the code kept after them for searching (`no such file or folder (ENOENT)`); other text as it is. */
export const errnoWords = (code: string): string => (WORDS[code] ? `${WORDS[code]} (${code})` : code);

/** A socket or file error in words (`connection refused (nothing listens there) (ECONNREFUSED)`), its message if it has no code. */
export const errorWords = (error: NodeJS.ErrnoException): string =>
  error.code ? errnoWords(error.code) : error.message;

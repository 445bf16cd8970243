/** Flags of every server that reads an unframed text request (the lab, share): where a request ends. */
import type { Argv } from 'yargs';
import { DEFAULT_QUIET_MS } from '../engine/text-request';

export function withTextRequestOptions<T>(yargs: Argv<T>, maxRequest: number) {
  return yargs
    .option('max-request', {
      type: 'number',
      default: maxRequest,
      describe: 'Longest request read, in bytes: the request ends there',
    })
    .option('quiet-period', {
      type: 'number',
      default: DEFAULT_QUIET_MS,
      describe:
        'Milliseconds without new bytes after which the request counts as complete, if a newline has not ended it (ardei: newlines are text)',
    })
    .check((args) => {
      if (!(Number.isInteger(args['max-request']) && args['max-request'] >= 1))
        throw new Error('--max-request must be a whole number of bytes, at least 1');
      if (!(args['quiet-period'] > 0)) throw new Error('--quiet-period must be more than 0 ms');
      return true;
    });
}

/** The machine input those flags and `--idle-timeout` give. */
export const textRequestInput = (args: { 'max-request': number; 'quiet-period': number; 'idle-timeout': number }) => ({
  maxRequest: args['max-request'],
  quietMs: args['quiet-period'],
  idleTimeoutMs: args['idle-timeout'] * 1000,
});

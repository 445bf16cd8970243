/**
 * How a client session ended, in the words of the person who ran it: the machines' outcome names
 * (`server_error`, `timed_out`) and errno codes are for logs and traces, not for this one line.
 */
import { errnoWords } from '../log/errno-words';

const WORDS: Record<string, string> = {
  refused: 'refused by the server',
  server_error: 'the server reported an error',
  not_stored: 'the server did not store it',
  corrupted: 'the file did not arrive intact, nothing was kept',
  interrupted: 'the transfer was interrupted',
  timed_out: 'no answer from the server in time (--idle-timeout)',
  protocol_error: 'the other side broke the protocol',
  no_room: 'not enough free space here',
  local_error: 'cannot write the local file',
  cannot_list: 'this server cannot list',
};

export const outcomeWords = (outcome: string, detail?: string): string => {
  const words = WORDS[outcome] ?? outcome.replace(/_/g, ' ');
  return detail ? `${words}: ${errnoWords(detail)}` : words;
};

/**
 * A client's `--port` or PORT to yargs: the word as typed, held to the rule of every client's port (host-port.ts,
 * `serverPort`). yargs's number type read it as Number() does, so `--port 0x10` connected to port 16 and `1e3` to
 * 1000. `shown`: the flag or the placeholder the line names (`--port`, `PORT`).
 */
import { notAServerPort, serverPort } from './host-port';
import { givenOnce } from './repeatable-option';

export const serverPortArgument = (shown: string, describe: string) =>
  ({
    type: 'string',
    describe,
    // A default comes as the number it is; a word typed blank needs a value, as every blank number does (blank-values.ts).
    coerce: givenOnce('port', (value: string | number | undefined): number => {
      const word = String(value);
      if (word.trim() === '') throw new Error(`${shown} needs a value`);
      const port = serverPort(word);
      if (port === undefined) throw new Error(`${shown} ${notAServerPort(word)}`);
      return port;
    }),
  }) as const;

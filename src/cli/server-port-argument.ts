/**
 * A port to yargs: the word as typed, held to the one rule of ports (host-port.ts): decimal digits, nothing else.
 * yargs's number type read it as Number() does, so `--port 0x10` connected to port 16, `1e3` to 1000, and a server's
 * `-l 0x10` listened on 16. Typed as a string, so the word reaches the rule as it was, and marked a number too, so
 * --help shows [number] (yargs drops the mark from a positional's settings: `.number('port')` after it puts it back). `shown`: the flag or the placeholder the line
 * names (`--port`, `PORT`).
 */
import { listenPort, notAListenPort, notAServerPort, serverPort } from './host-port';
import { givenOnce } from './repeatable-option';

const portArgument = (
  flag: string,
  shown: string,
  describe: string,
  read: (word: string) => number | undefined,
  why: (word: string) => string,
) =>
  ({
    type: 'string',
    number: true,
    describe,
    // A default comes as the number it is. A word typed blank needs a value, as every blank number does: left to
    // blank-values.ts, which names the flag as typed (`-l needs a value`).
    coerce: givenOnce(flag, (value: string | number | undefined): number => {
      const word = String(value);
      if (word.trim() === '') return NaN;
      const port = read(word);
      if (port === undefined) throw new Error(`${shown} ${why(word)}`);
      return port;
    }),
  }) as const;

/** A client's server port, 1..65535. */
export const serverPortArgument = (shown: string, describe: string) =>
  portArgument('port', shown, describe, serverPort, notAServerPort);

/** A server's port to listen on, 0..65535 (0: one the system picks); `flag`: its name, for `--FLAG given twice`. */
export const listenPortArgument = (flag: string, shown: string, describe: string) =>
  portArgument(flag, shown, describe, listenPort, notAListenPort);

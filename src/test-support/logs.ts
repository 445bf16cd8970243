/** A real winston logger at debug level whose lines land in an array, for tests that assert log lines. */
import { Writable } from 'node:stream';
import winston from 'winston';

/** Each line is pushed as `level connection message` (connection `-` when there is none). */
export function capturingLogger(lines: string[], onLine?: (line: string) => void): winston.Logger {
  const stream = new Writable({
    objectMode: true,
    write(info: { level: string; message: string; connection?: string }, _encoding, done) {
      const line = `${info.level} ${info.connection ?? '-'} ${info.message}`;
      lines.push(line);
      onLine?.(line);
      done();
    },
  });
  return winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] });
}

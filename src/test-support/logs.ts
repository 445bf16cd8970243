/** A real winston logger at debug level whose lines land in an array, for tests that assert log lines. */
import { Writable } from 'node:stream';
import winston from 'winston';

/** Each line is pushed as `level connection message` (connection `-` when there is none). */
export function capturingLogger(lines: string[]): winston.Logger {
  const stream = new Writable({
    objectMode: true,
    write(info: { level: string; message: string; connection?: string }, _encoding, done) {
      lines.push(`${info.level} ${info.connection ?? '-'} ${info.message}`);
      done();
    },
  });
  return winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] });
}

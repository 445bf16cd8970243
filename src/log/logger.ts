/**
 * wirestate's logger: winston, one line per event, all on one stream, `pretty`
 * for people and `json` for machines. A line about a connection carries the
 * connection's fields (protocol, connection, peer, operation, name, bytes,
 * duration_ms, outcome, code): `json` prints them, `pretty` says them in prose.
 */
import winston from 'winston';

export type LogFormat = 'pretty' | 'json';
export type Logger = winston.Logger;

export interface LoggerOptions {
  debug: boolean;
  format: LogFormat;
  /** Every line goes to stderr (a client keeps stdout for its own output), else every line to stdout (a server). */
  stderr: boolean;
}

const pretty = winston.format.printf(({ timestamp, level, message, connection }) => {
  const who = typeof connection === 'string' ? ` [${connection}]` : '';
  return `${String(timestamp)} ${level.padEnd(5)}${who} ${String(message)}`;
});

export function createLogger(options: LoggerOptions): Logger {
  const format =
    options.format === 'json'
      ? winston.format.combine(winston.format.timestamp(), winston.format.json())
      : winston.format.combine(winston.format.timestamp(), pretty);
  return winston.createLogger({
    level: options.debug ? 'debug' : 'info',
    format,
    transports: [
      new winston.transports.Console({ stderrLevels: options.stderr ? ['error', 'warn', 'info', 'debug'] : [] }),
    ],
  });
}

/** Human-friendly size, for log lines and progress. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** A rate in the unit that suits it (`512 B/s`, `3.20 KiB/s`, `48.1 MiB/s`), so a small transfer never reads `0.0 MiB/s`. */
export function formatRate(bytes: number, seconds: number): string {
  return `${formatBytes(seconds > 0 ? Math.round(bytes / seconds) : 0)}/s`;
}

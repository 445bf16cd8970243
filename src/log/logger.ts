/**
 * wirestate's logger: winston, one line per event, `pretty` for people and
 * `json` for machines. Connection lines carry the connection's id.
 */
import winston from 'winston';

export type LogFormat = 'pretty' | 'json';
export type Logger = winston.Logger;

export interface LoggerOptions {
  debug: boolean;
  format: LogFormat;
  /** Log to stderr (the client keeps stdout for its own output). */
  stderr: boolean;
}

const pretty = winston.format.printf(({ timestamp, level, message, connection, ...rest }) => {
  const fields = Object.entries(rest)
    .filter(([key]) => key !== 'service')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const who = connection ? ` [${connection}]` : '';
  return `${timestamp} ${level.padEnd(5)}${who} ${message}${fields ? ` ${fields}` : ''}`;
});

export function createLogger(options: LoggerOptions): Logger {
  const format =
    options.format === 'json'
      ? winston.format.combine(winston.format.timestamp(), winston.format.json())
      : winston.format.combine(winston.format.timestamp(), pretty);
  return winston.createLogger({
    level: options.debug ? 'debug' : 'info',
    format,
    transports: [new winston.transports.Console({ stderrLevels: options.stderr ? ['error', 'warn', 'info', 'debug'] : ['error'] })],
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

/** MiB per second, the rate every wirestate figure is given in. */
export function mibPerSecond(bytes: number, seconds: number): number {
  return seconds > 0 ? bytes / (1024 * 1024) / seconds : 0;
}

/**
 * wirestate's logger: winston, one line per event, all on one stream, `pretty`
 * for people and `json` for machines. A line about a connection carries the
 * connection's fields (protocol, connection, peer, operation, name, bytes,
 * duration_ms, outcome, code): `json` prints them, `pretty` says them in prose.
 * A server's lines go from winston's format straight to stdout, in batches
 * (formatted-lines.ts, batched-output.ts).
 */
import type winston from 'winston';
import { batchedOutput } from './batched-output';
import { DeferredLogger, type Logger, type WinstonSink } from './deferred-logger';
import { formattedLines } from './formatted-lines';
import { lineTimestamp } from './line-timestamp';
import { jsonEscapedUnshown } from './unshown-characters';

export type { Logger } from './deferred-logger';

export type LogFormat = 'pretty' | 'json';

export interface LoggerOptions {
  debug: boolean;
  format: LogFormat;
  /** Every line goes to stderr (a client keeps stdout for its own output), else every line to stdout (a server). */
  stderr: boolean;
}

/** Where logform keeps a line as written (triple-beam's MESSAGE). */
const LINE: unique symbol = Symbol.for('message') as never;

/** Winston itself (about 90 modules) loads at the first line written: a client that logs nothing never loads it. */
export function createLogger(options: LoggerOptions): Logger {
  return new DeferredLogger(options.debug ? 'debug' : 'info', (level) => lineSink(options, level));
}

function lineSink(options: LoggerOptions, level: string): WinstonSink {
  // Required here, not imported at the top: see createLogger.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createLogger: create, format, transports } = require('winston') as typeof winston;
  const pretty = format.printf(({ timestamp, level, message, connection }) => {
    const who = typeof connection === 'string' ? ` [${connection}]` : '';
    return `${String(timestamp)} ${level.padEnd(5)}${who} ${String(message)}`;
  });
  // What a peer sent (a name) reaches a line quoted by JSON, which leaves the unshown characters as they are
  // (unshown-characters.ts): each is written as its JSON escape.
  const escapedControls = format((info) => {
    const line = info[LINE];
    if (typeof line === 'string') info[LINE] = jsonEscapedUnshown(line);
    return info;
  })();
  const lineFormat =
    options.format === 'json'
      ? format.combine(format.timestamp({ format: lineTimestamp }), format.json(), escapedControls)
      : format.combine(format.timestamp({ format: lineTimestamp }), pretty, escapedControls);
  // A client's lines go to stderr as they come, between its own output; a server's to stdout in batches.
  return options.stderr
    ? create({
        level,
        format: lineFormat,
        transports: [new transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
      })
    : formattedLines(level, lineFormat, batchedOutput(process.stdout));
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

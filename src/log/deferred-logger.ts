/** A logger that builds its winston logger only when a line passes its level, so start-up does not pay for winston. */
/** What wirestate logs through: a winston logger, or one that builds it at its first line (DeferredLogger). */
export interface Logger {
  level: string;
  log(level: string, message: string, fields?: object): unknown;
  error(message: string, fields?: object): unknown;
  warn(message: string, fields?: object): unknown;
  info(message: string, fields?: object): unknown;
  debug(message: string, fields?: object): unknown;
  child(fields: object): Logger;
  isDebugEnabled(): boolean;
}

/** winston's npm levels, most severe first. */
const RANK: Record<string, number> = { error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 };

/** Where winston (triple-beam) keeps a line's level for its formats and transports. */
const LEVEL: unique symbol = Symbol.for('level') as never;

/** A line as winston's stream takes it: what `log` builds, written to the stream without `log`'s parsing. */
interface WinstonLine {
  level: string;
  message: string;
  [LEVEL]: string;
}

/** What DeferredLogger needs of the winston logger it builds. */
export interface WinstonSink {
  level: string;
  write(line: WinstonLine): unknown;
}

/** The level and the winston logger every child of one root shares. */
interface Root {
  level: string;
  build: (level: string) => WinstonSink;
  built?: WinstonSink;
}

/**
 * A child is this class again with its fields merged in, not a winston child: winston's `child` costs a
 * server's connection an object, a closure and a second copy of every line (about 1% of a small request).
 */
export class DeferredLogger implements Logger {
  private readonly root: Root;

  constructor(
    level: string,
    build: (level: string) => WinstonSink,
    parent?: DeferredLogger,
    private readonly fields: object = {},
  ) {
    this.root = parent?.root ?? { level, build };
  }

  get level(): string {
    return this.root.level;
  }

  set level(level: string) {
    this.root.level = level;
    if (this.root.built) this.root.built.level = level;
  }

  log(level: string, message: string, fields?: object): void {
    if (RANK[level] > RANK[this.root.level]) return;
    // The fields in winston's order: a child's first, then the line's own, then level and message. Object.assign,
    // not a literal starting with spreads: V8 11 gives such a literal a hidden class of its own every time it runs.
    (this.root.built ??= this.root.build(this.root.level)).write(
      Object.assign({}, this.fields, fields, { [LEVEL]: level, level, message }),
    );
  }

  error(message: string, fields?: object): void {
    this.log('error', message, fields);
  }

  warn(message: string, fields?: object): void {
    this.log('warn', message, fields);
  }

  info(message: string, fields?: object): void {
    this.log('info', message, fields);
  }

  debug(message: string, fields?: object): void {
    this.log('debug', message, fields);
  }

  child(fields: object): Logger {
    return new DeferredLogger(this.root.level, this.root.build, this, Object.assign({}, this.fields, fields));
  }

  isDebugEnabled(): boolean {
    return RANK.debug <= RANK[this.root.level];
  }
}

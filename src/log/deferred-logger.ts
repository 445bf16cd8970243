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

/** The level and the winston logger every child of one root shares. */
interface Root {
  level: string;
  build: (level: string) => Logger;
  built?: Logger;
}

export class DeferredLogger implements Logger {
  private readonly root: Root;
  private built?: Logger;

  constructor(
    level: string,
    build: (level: string) => Logger,
    private readonly parent?: DeferredLogger,
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
    // Without fields, two arguments: winston treats a third, even undefined, as metadata.
    if (fields === undefined) this.winston().log(level, message);
    else this.winston().log(level, message, fields);
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
    return new DeferredLogger(this.root.level, this.root.build, this, fields);
  }

  isDebugEnabled(): boolean {
    return RANK.debug <= RANK[this.root.level];
  }

  /** The winston logger (a child of the parent's, as winston's own `child` makes it), built at the first line. */
  private winston(): Logger {
    if (this.parent) return (this.built ??= this.parent.winston().child(this.fields));
    return (this.root.built ??= this.root.build(this.root.level));
  }
}

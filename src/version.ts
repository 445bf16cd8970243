import { version } from '../package.json';

/** wirestate's version, as traces and `--version` report it. */
export const VERSION: string = version;

#!/usr/bin/env node
/** The `wirestate` command over every registered protocol (machines/protocols.ts). */
import './early-signals';
import './young-generation';
import { hideBin } from 'yargs/helpers';
import { PROTOCOLS } from '../../machines/protocols';
import { runCli } from './cli';

// `npm run server|client` moves into the package folder; paths the user typed are relative to where they typed them.
if (process.env.INIT_CWD && process.env.npm_lifecycle_script?.includes('dist/src/cli/main.js'))
  process.chdir(process.env.INIT_CWD);

// Standard error whose reader went away (`client ... 2>&1 | true`): there is nowhere left to say anything, so the
// job goes on unsaid (before: the next line written threw EPIPE and the client ended with exit 1, nothing done).
process.stderr.on('error', () => undefined);

void runCli(PROTOCOLS, hideBin(process.argv));

/** `wirestate replay FILE`: read a recorded trace as a timeline, and optionally re-run it. */
import { readFile } from 'node:fs/promises';
import { text as streamText } from 'node:stream/consumers';
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import type { CommandBody } from './command-body';
import { valuesRequired, withLogFormat } from './common-options';
import { parseTrace, TraceFormatError, type Trace } from '../trace/trace-format';
import { differences, expectedFromTrace, replayTrace, type Chunking } from '../trace/trace-replay';
import { formatTimeline } from '../trace/timeline';
import { CannotReplay, type TraceSupport } from '../trace/trace-support';
import { EXIT } from '../engine/exit-codes';
import { errorCode } from '../storage/errors';
import { errnoWords } from '../log/errno-words';
import { loadTraceSupport } from '../../machines/protocols';
import { CommandError } from './command-error';

const CHECKS: [string, Chunking][] = [
  ['as recorded', { kind: 'recorded' }],
  ['in 1-byte pieces', { kind: 'bytes' }],
  ['cut at random points', { kind: 'random', seed: 1 }],
];

const builder = (yargs: Argv) =>
  withLogFormat(yargs, 'stderr')
    .positional('file', {
      type: 'string',
      demandOption: true,
      describe: 'A trace file written by --record (- reads it from stdin)',
    })
    .option('check', {
      type: 'boolean',
      default: false,
      describe: 'Also re-run the machine on the recorded input (as recorded, 1-byte, random cuts) and compare',
    })
    .epilog(
      examples(
        ['$0 replay fixtures/traces/transfer/download-ok.server.jsonl', 'read a trace as a timeline'],
        ['$0 replay --check traces/2026-...-server-c3.jsonl', 'does the machine still behave as recorded?'],
      ),
    )
    .epilog(
      'Exit codes: 0 read (and, with --check, replayed identically), 1 the replay differs, 2 not a readable trace (with --check: or one that cannot run again).',
    );

async function handler(args: Awaited<ReturnType<typeof builder>['argv']>): Promise<void> {
  const supports = await loadTraceSupport();
  const trace = await readTrace(args.file, supports);
  const support = supports[trace.header.protocol];
  process.stdout.write(`${formatTimeline(trace, support?.nameFrames(trace)).join('\n')}\n`);
  if (!args.check) return;
  if (!support || trace.header.role === 'proxy') {
    throw new CommandError(`${trace.header.protocol} ${trace.header.role} traces cannot be re-run`, EXIT.usage);
  }
  const expected = expectedFromTrace(trace);
  let differs = false;
  for (const [label, chunking] of CHECKS) {
    const found = differences(expected, await replayed(trace, support, chunking));
    differs ||= found.length > 0;
    process.stdout.write(
      `replay ${label}: ${found.length === 0 ? 'same bytes, same states, same outcome' : found.join('; ')}\n`,
    );
  }
  if (differs) process.exitCode = EXIT.internal;
}

/** The trace in `file` (`-`: stdin), read whole; its text is let go once parsed: its frames may be megabytes. */
async function readTrace(file: string, supports: Record<string, TraceSupport>): Promise<Trace> {
  const shownFile = file === '-' ? 'stdin' : file;
  let text: string;
  try {
    text = file === '-' ? await streamText(process.stdin) : await readFile(file, 'utf8');
  } catch (error) {
    throw new CommandError(`cannot read ${shownFile}: ${errnoWords(errorCode(error))}`, EXIT.usage);
  }
  try {
    return parseTrace(text, supports);
  } catch (error) {
    if (error instanceof TraceFormatError)
      throw new CommandError(`${shownFile}:${error.line}: ${error.why}`, EXIT.usage);
    throw error;
  }
}

/** The trace run again, or the one line saying why its protocol cannot run it again. */
async function replayed(trace: Trace, support: TraceSupport, chunking: Chunking) {
  try {
    return await replayTrace(trace, support.specFromTrace, chunking);
  } catch (error) {
    if (error instanceof CannotReplay) throw new CommandError(error.message, EXIT.usage);
    throw error;
  }
}

/** `wirestate replay <file>`. */
export const replayBody: CommandBody = { builder: valuesRequired(builder), handler };

/** `wirestate replay FILE`: read a recorded trace as a timeline, and optionally re-run it. */
import { readFile } from 'node:fs/promises';
import { text as streamText } from 'node:stream/consumers';
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import type { CommandBody } from './command-body';
import { valuesRequired } from './common-options';
import { parseTrace, type Trace } from '../trace/trace-format';
import { differences, expectedFromTrace, replayTrace, type Chunking } from '../trace/trace-replay';
import { formatTimeline } from '../trace/timeline';
import { EXIT } from '../engine/exit-codes';
import { errorCode } from '../storage/errors';
import { errnoWords } from '../log/errno-words';
import { loadTraceSupport } from '../../machines/protocols';
import { unknownTraceHeader } from './unknown-trace-header';

const CHECKS: [string, Chunking][] = [
  ['as recorded', { kind: 'recorded' }],
  ['in 1-byte pieces', { kind: 'bytes' }],
  ['cut at random points', { kind: 'random', seed: 1 }],
];

const builder = (yargs: Argv) =>
  yargs
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
      'Exit codes: 0 read (and, with --check, replayed identically), 1 the replay differs, 2 not a readable trace.',
    );

async function handler(args: Awaited<ReturnType<typeof builder>['argv']>): Promise<void> {
  let text: string;
  try {
    text = args.file === '-' ? await streamText(process.stdin) : await readFile(args.file, 'utf8');
  } catch (error) {
    process.stderr.write(`wirestate replay: cannot read ${args.file}: ${errnoWords(errorCode(error))}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  let trace: Trace;
  try {
    trace = parseTrace(text);
  } catch (error) {
    process.stderr.write(`wirestate replay: ${args.file}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  const supports = await loadTraceSupport();
  const unknown = unknownTraceHeader(trace.header, Object.keys(supports));
  if (unknown) {
    process.stderr.write(`wirestate replay: ${args.file}: ${unknown}\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  const support = supports[trace.header.protocol];
  process.stdout.write(`${formatTimeline(trace, support?.nameFrames(trace)).join('\n')}\n`);
  if (!args.check) return;
  if (!support || trace.header.role === 'proxy') {
    process.stderr.write(`wirestate replay: ${trace.header.protocol} ${trace.header.role} traces cannot be re-run\n`);
    process.exitCode = EXIT.usage;
    return;
  }
  const expected = expectedFromTrace(trace);
  let differs = false;
  for (const [label, chunking] of CHECKS) {
    const found = differences(expected, await replayTrace(trace, support.specFromTrace, chunking));
    differs ||= found.length > 0;
    process.stdout.write(
      `replay ${label}: ${found.length === 0 ? 'same bytes, same states, same outcome' : found.join('; ')}\n`,
    );
  }
  if (differs) process.exitCode = EXIT.internal;
}

/** `wirestate replay <file>`. */
export const replayBody: CommandBody = { builder: valuesRequired(builder), handler };

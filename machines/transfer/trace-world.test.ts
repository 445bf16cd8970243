/**
 * Replay rebuilds the server's world from the outcome's code, never from its
 * detail: a recorded trace whose detail is reworded still meets the same world,
 * so the machine sends the same bytes and visits the same states.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrace, type Trace } from '../../src/trace/trace-format';
import { expectedFromTrace, replayTrace } from '../../src/trace/trace-replay';
import { specFromTrace } from './trace-world';

const DIR = join(__dirname, '..', '..', 'fixtures', 'traces', 'transfer');

/** The trace with its outcome's detail replaced by other words. */
function reworded(file: string): Trace {
  const trace = parseTrace(readFileSync(join(DIR, file), 'utf8'));
  const entries = trace.entries.map((entry) =>
    'outcome' in entry ? { ...entry, outcome: { ...entry.outcome, detail: 'said differently' } } : entry,
  );
  return { ...trace, entries };
}

it.each(['upload-busy.server.jsonl', 'upload-existing-name.server.jsonl'])(
  '%s replays the same with its detail reworded',
  async (file) => {
    const trace = reworded(file);
    const expected = expectedFromTrace(trace);
    const actual = await replayTrace(trace, specFromTrace, { kind: 'recorded' });
    expect(actual.sent).toEqual(expected.sent);
    expect(actual.states).toEqual(expected.states);
    expect(actual.outcome?.code).toBe(expected.outcome?.code);
  },
);

/**
 * Replay rebuilds the server's world from the outcome's code, never from its
 * detail: a recorded trace whose detail is reworded still meets the same world,
 * so the machine sends the same bytes and visits the same states.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrace, type Trace } from '../../src/trace/trace-format';
import { differences, expectedFromTrace, replayTrace } from '../../src/trace/trace-replay';
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

describe('a server timed out by its idle timeout (--idle-timeout 1), recorded live, replays the same', () => {
  const HEADER =
    '{"trace":"wirestate/1","protocol":"transfer","role":"server","connection":"c1","peer":"127.0.0.1:40866","input":{"owner":"c1","maxUploadSize":9007199254740991,"idleTimeoutMs":1000,"capabilities":15,"resumeKeepSeconds":600},"version":"0.1.0","started":"2026-12-03T11:26:46.263Z"}';
  const TIMED_OUT =
    '{"t":1009.545,"outcome":{"ok":false,"outcome":"timed_out","code":"peer.idle","bytes":0,"detail":"nothing from the peer for the idle timeout"}}';
  const request = Buffer.concat([Buffer.from('Da.txt'), Buffer.alloc(250)]).toString('base64');
  /** The first 100 of a request's 256 bytes: no whole frame, so the idle timer runs on from the connection's start. */
  const partial = Buffer.concat([Buffer.from('Da.bin'), Buffer.alloc(94)]).toString('base64');
  const traces = {
    'a peer that never spoke': ['{"t":2.865,"state":"client_connect"}', '{"t":1005.112,"state":"failed"}', TIMED_OUT],
    // Made by hand (a stranger's): live, the timer counted across the half second before the bytes, with nothing recorded in it.
    'a peer that sent part of a request after half a second, then nothing': [
      '{"t":0.5,"state":"client_connect"}',
      `{"t":500,"in":"${partial}"}`,
      '{"t":1001,"state":"failed"}',
      TIMED_OUT,
    ],
    'a peer that asked for a file and never confirmed': [
      '{"t":0.909,"state":"client_connect"}',
      `{"t":2.13,"in":"${request}"}`,
      '{"t":4.291,"state":"check_download"}',
      '{"t":6.352,"state":"send_check_download"}',
      '{"t":6.586,"out":"VAAAAAAAAAAG"}',
      '{"t":7.471,"state":"check_download_confirmation"}',
      '{"t":1008.292,"state":"failed"}',
      TIMED_OUT,
    ],
  };
  it.each(Object.entries(traces))('%s', async (_label, entries) => {
    const trace = parseTrace([HEADER, ...entries, ''].join('\n'));
    const expected = expectedFromTrace(trace);
    for (const chunking of [{ kind: 'recorded' }, { kind: 'bytes' }, { kind: 'random', seed: 7 }] as const) {
      const actual = await replayTrace(trace, specFromTrace, chunking);
      expect(differences(expected, actual)).toEqual([]);
    }
  });
});

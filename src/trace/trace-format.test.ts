import { chunkBytes, parseTrace, TRACE_FORMAT } from './trace-format';

const header = {
  trace: TRACE_FORMAT,
  protocol: 'echo',
  role: 'server',
  connection: 'c1',
  peer: '127.0.0.1:1',
  version: '0.1.0',
  started: '2026-11-30T00:00:00.000Z',
  input: {},
};

describe('parseTrace', () => {
  it('reads the header and every entry, skipping blank lines', () => {
    const text = [JSON.stringify(header), '{"t":0.5,"in":"aGk="}', '', '{"t":1,"end":"peer"}', ''].join('\n');
    expect(parseTrace(text)).toEqual({
      header,
      entries: [
        { t: 0.5, in: 'aGk=' },
        { t: 1, end: 'peer' },
      ],
    });
  });

  it('refuses a file that is not a trace of this format, quoting its first line', () => {
    expect(() => parseTrace('{"trace":"wirestate/0"}\n')).toThrow(
      'line 1: not a wirestate/1 trace (it starts {"trace":"wirestate/0"})',
    );
    expect(() => parseTrace('')).toThrow('line 1: not a wirestate/1 trace (it starts with nothing)');
  });

  it('names the line that is not JSON', () => {
    expect(() => parseTrace(`${JSON.stringify(header)}\n{"t":1,"in":\n`)).toThrow('line 2: not JSON: {"t":1,"in":');
  });
});

describe('chunkBytes', () => {
  it('decodes the bytes of an in or out entry, and is undefined for any other', () => {
    expect(chunkBytes({ t: 0, in: 'aGk=' })).toEqual(Buffer.from('hi'));
    expect(chunkBytes({ t: 0, out: 'AP8=' })).toEqual(Buffer.from([0, 255]));
    expect(chunkBytes({ t: 0, state: 'idle' })).toBeUndefined();
  });
});

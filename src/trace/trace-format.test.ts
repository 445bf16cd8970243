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

  it.each([
    ['a number', '5'],
    ['null', 'null'],
    ['an array', '[1]'],
    ['no time', '{"state":"idle"}'],
    ['a time that is not a number', '{"t":"a","state":"idle"}'],
    ['two kinds in one', '{"t":1,"state":"idle","end":"peer"}'],
    ['an unknown kind', '{"t":1,"x":1}'],
    ['bytes that are not base64', '{"t":1,"in":"!!!"}'],
    ['bytes that are not a string', '{"t":1,"out":5}'],
    ['an end other than the peer', '{"t":1,"end":"me"}'],
    ['an outcome without its words', '{"t":1,"outcome":5}'],
  ])('names the line of an entry that is not one: %s', (_case, entry) => {
    expect(() => parseTrace(`${JSON.stringify(header)}\n{"t":0.5,"state":"idle"}\n${entry}\n`)).toThrow(/^line 3: /);
  });
});

describe('chunkBytes', () => {
  it('decodes the bytes of an in or out entry, and is undefined for any other', () => {
    expect(chunkBytes({ t: 0, in: 'aGk=' })).toEqual(Buffer.from('hi'));
    expect(chunkBytes({ t: 0, out: 'AP8=' })).toEqual(Buffer.from([0, 255]));
    expect(chunkBytes({ t: 0, state: 'idle' })).toBeUndefined();
  });
});

/** Ardei's advanced variant driven by scripted bytes (no sockets): the key, commands framed by 929Z or a newline, ls, chdir inside the root only, dl split by size. */
import { PEER_ACKNOWLEDGES, PEER_ENDS, replay, type ReplayInput } from '../../src/engine/replay';
import { MemoryFiles } from '../../src/storage/memory-files';
import { decodeAll, everySplit } from '../../src/test-support/cuts';
import {
  CLIENT_KEY,
  DELIMITER,
  INVALID_FILE,
  NOT_A_DIRECTORY,
  SERVER_KEY,
  UNRECOGNIZED,
  announcedSize,
  chdirReply,
  dlHeader,
  listingReply,
  movedTo,
  parseCommand,
  parseListing,
  replyEnd,
  resolveFrom,
} from './advanced-codec';
import { AdvancedReplyReader, AdvancedRequestReader } from './advanced-readers';
import { ardeiAdvancedServer } from '.';

const files = () =>
  new MemoryFiles({
    'top.txt': 'top',
    '.hidden': 'h',
    '.git/config': 'c',
    'docs/a.txt': 'alpha',
    'docs/deep/b.txt': 'bravo',
  });
const server = () => ardeiAdvancedServer(files(), { maxRequest: 4096 }).accept('c1');
/** Each command as the original client sends it: the command and 929Z in one write. */
const session = (commands: string[], extra: ReplayInput[] = []) =>
  replay(server(), [CLIENT_KEY, ...commands.map((command) => Buffer.from(`${command}929Z`)), ...extra]);
const replies = (sent: Buffer) => sent.subarray(SERVER_KEY.length).toString().split('929Z');

describe('codec', () => {
  it('reads commands as the original does: case-sensitive, nothing stripped, chdir and dl without an argument', () => {
    expect(parseCommand('dl docs/a.txt')).toEqual({ kind: 'dl', path: 'docs/a.txt' });
    expect(parseCommand('chdir')).toEqual({ kind: 'chdir', path: undefined });
    expect(parseCommand('chdir ')).toEqual({ kind: 'chdir', path: '' });
    expect(parseCommand('dl')).toEqual({ kind: 'dl', path: undefined });
    for (const other of ['LS', 'quit ', ' ls', 'Quit', 'chdirdocs', ''])
      expect(parseCommand(other)).toEqual({ kind: 'unknown' });
  });

  it('keeps every path inside the root', () => {
    expect(resolveFrom('docs', '../..')).toBe('');
    expect(resolveFrom('docs', 'deep/')).toBe('docs/deep');
    expect(resolveFrom('', '/etc/../docs')).toBe('docs');
    expect(announcedSize('Sending a.txt size: SpLiT5')).toEqual({ path: 'a.txt', digits: '5', size: 5 });
  });

  it('keeps an announced size as the digits sent, and takes no other size for one', () => {
    expect(announcedSize('Sending a.txt size: SpLiT100000000000000000000000')?.digits).toBe('100000000000000000000000');
    for (const size of ['-5', '1e3', ' 5', '', '5 ', '+5'])
      expect(announcedSize(`Sending a.txt size: SpLiT${size}`)).toBeUndefined();
  });

  it('ends a dl answer at the first 929Z after its size header, whatever the size holds', () => {
    for (const size of ['-5', '1e3', ' 5', '', '5', '9929', '929'])
      expect(replyEnd(Buffer.from(`Sending a.txt size: SpLiT${size}929ZAAAAA`))).toBe(
        `Sending a.txt size: SpLiT${size}929Z`.length,
      );
    expect(replyEnd(Buffer.from('Sending a.txt size: SpLiT-5'))).toBeUndefined();
  });

  it('reads back the listings and chdir answers it writes, and no other reply as one', () => {
    const text = (bytes: Buffer) => bytes.subarray(0, -DELIMITER.length).toString();
    expect(parseListing(text(listingReply('docs', ['inner'], ['a.txt', '.hidden', 'b 929Z.txt'])))).toEqual({
      cwd: 'docs',
      folders: ['inner'],
      files: ['a.txt', 'b 929Z.txt'],
    });
    expect(parseListing(text(listingReply('', [], [])))).toEqual({ cwd: '', folders: [], files: [] });
    expect(movedTo(text(chdirReply('docs/inner')))).toBe('docs/inner');
    expect(movedTo(text(chdirReply('')))).toBe('');
    for (const other of [INVALID_FILE, NOT_A_DIRECTORY, UNRECOGNIZED, dlHeader('a.txt', 5)]) {
      expect(parseListing(text(other))).toBeUndefined();
      expect(movedTo(text(other))).toBeUndefined();
    }
  });

  it('ends a listing or a dl answer after their own 929Z, even when a name holds 929Z', () => {
    const listing = 'Current Working Directory: /x929Z\n\nFolders: \n\nf929Z\n\nFiles: \n\na929Z.txt\n929Z';
    expect(replyEnd(Buffer.from(`${listing}Invalid File!929Z`))).toBe(listing.length);
    expect(replyEnd(Buffer.from('Current Working Directory: /\n\nFolders: \n\n\nFiles: \n\n929Zrest'))).toBe(
      'Current Working Directory: /\n\nFolders: \n\n\nFiles: \n\n929Z'.length,
    );
    expect(replyEnd(Buffer.from('Sending b929Z.txt size: SpLiT5929Z5929Z'))).toBe(
      'Sending b929Z.txt size: SpLiT5929Z'.length,
    );
    expect(replyEnd(Buffer.from('Not a recognised directory.929ZInvalid'))).toBe(
      'Not a recognised directory.929Z'.length,
    );
    expect(replyEnd(Buffer.from('Current Working Directory: /\n\nFolders: \n\n929Z'))).toBeUndefined();
  });
});

describe('readers', () => {
  it('cuts commands at 929Z (with or without a newline after) and at newlines, skipping blank lines, however the stream is cut', () => {
    const stream = Buffer.concat([CLIENT_KEY, Buffer.from('ls929Zdl a.txt929Z\nchdir \r\n\n929Zquit929Z')]);
    for (const chunks of everySplit(stream)) {
      const frames = decodeAll(new AdvancedRequestReader(4096), chunks);
      expect(frames).toEqual([
        { type: 'frame.key' },
        ...['ls', 'dl a.txt', 'chdir ', '', 'quit'].map((text) => ({ type: 'frame.command', text })),
      ]);
    }
  });

  it('ends a command with no end in sight at the cap, the same whatever the cuts', () => {
    const stream = Buffer.concat([CLIENT_KEY, Buffer.from('abcdefgh929Z')]);
    for (const chunks of everySplit(stream)) {
      expect(decodeAll(new AdvancedRequestReader(4), chunks)).toEqual([
        { type: 'frame.key' },
        { type: 'frame.command', text: 'abcd' },
        { type: 'frame.command', text: 'efgh' },
      ]);
    }
  });

  it('splits replies at their ends and a dl by its announced size, however the bytes are cut', () => {
    const stream = Buffer.concat([
      SERVER_KEY,
      Buffer.from('Sending a929Z.txt size: SpLiT5929Zalpha'),
      Buffer.from('Unrecognized Command!929Z'),
    ]);
    for (const chunks of everySplit(stream)) {
      const frames = decodeAll(new AdvancedReplyReader(), chunks);
      const data = frames.map((frame) => (frame.type === 'frame.data' ? frame.chunk.toString() : '')).join('');
      expect(data).toBe('alpha');
      expect(frames[0]).toEqual({ type: 'frame.key' });
      expect(frames[1]).toEqual({ type: 'frame.reply', text: 'Sending a929Z.txt size: SpLiT5' });
      expect(frames.at(-1)).toEqual({ type: 'frame.reply', text: 'Unrecognized Command!' });
    }
  });
});

describe('server', () => {
  it('sends its key, then answers ls (dot-files left out, as the original), chdir and dl in the working directory of this connection', async () => {
    const result = await session(['ls', 'chdir docs', 'ls', 'dl a.txt', 'chdir deep', 'dl b.txt', 'quit']);
    expect(result.sent.subarray(0, SERVER_KEY.length)).toEqual(SERVER_KEY);
    expect(replies(result.sent)).toEqual([
      'Current Working Directory: /\n\nFolders: \n\ndocs\n\nFiles: \n\ntop.txt\n',
      'The new current working directory on the server is: /docs',
      'Current Working Directory: /docs\n\nFolders: \n\ndeep\n\nFiles: \n\na.txt\n',
      'Sending a.txt size: SpLiT5',
      'alphaThe new current working directory on the server is: /docs/deep',
      'Sending b.txt size: SpLiT5',
      'bravo',
    ]);
    expect(result.closed).toBe('end');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'quit', detail: '6 commands' });
  });

  it('never leaves the root, and says so for what is not there', async () => {
    const result = await session([
      'chdir ../../..',
      'chdir nowhere',
      'dl ../../etc/passwd',
      'dl docs',
      'frobnicate',
      'quit',
    ]);
    expect(replies(result.sent)).toEqual([
      'The new current working directory on the server is: /',
      'Not a recognised directory.',
      'Invalid File!',
      'Invalid File!',
      'Unrecognized Command!',
      '',
    ]);
  });

  it("answers the original's quirks: chdir alone, chdir with an empty argument, dl alone, other case, a trailing space", async () => {
    const result = await session(['chdir docs', 'chdir', 'chdir ', 'dl', 'dl ', 'LS', 'quit ', 'quit']);
    expect(replies(result.sent)).toEqual([
      'The new current working directory on the server is: /docs',
      'Not a recognised directory.',
      'The new current working directory on the server is: /docs',
      'Invalid File!',
      'Invalid File!',
      'Unrecognized Command!',
      'Unrecognized Command!',
      '',
    ]);
    expect(result.closed).toBe('end');
  });

  it('joins a command split over writes, however long the pause, as the original does', async () => {
    const result = await replay(server(), [
      CLIENT_KEY,
      Buffer.from('ls92'),
      { wait: 1000 },
      Buffer.from('9Z'),
      Buffer.from('quit929Z'),
    ]);
    expect(replies(result.sent)).toEqual([
      'Current Working Directory: /\n\nFolders: \n\ndocs\n\nFiles: \n\ntop.txt\n',
      '',
    ]);
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'quit' });
  });

  it('answers two commands that came in one write, and closes on quit929Z', async () => {
    const result = await replay(server(), [CLIENT_KEY, Buffer.from('chdir docs929Zdl a.txt929Zquit929Z')]);
    expect(replies(result.sent)).toEqual([
      'The new current working directory on the server is: /docs',
      'Sending a.txt size: SpLiT5',
      'alpha',
    ]);
    expect(result.closed).toBe('end');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'quit', detail: '2 commands' });
  });

  it('takes lines from a person typing into nc, CRLF or LF', async () => {
    const result = await replay(server(), [CLIENT_KEY, Buffer.from('chdir docs\r\n\nls\n'), Buffer.from('quit\n')]);
    expect(replies(result.sent)).toEqual([
      'The new current working directory on the server is: /docs',
      'Current Working Directory: /docs\n\nFolders: \n\ndeep\n\nFiles: \n\na.txt\n',
      '',
    ]);
    expect(result.closed).toBe('end');
  });

  it('closes when the client leaves without quit, with nothing more to say', async () => {
    const result = await session(['ls'], [PEER_ENDS]);
    expect(replies(result.sent)).toHaveLength(2);
    expect(result.closed).toBe('end');
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'left' });
  });

  it('closes at once when the client ends its side before its key, or within it', async () => {
    for (const before of [[], [CLIENT_KEY.subarray(0, 5)]]) {
      const result = await replay(server(), [...before, PEER_ENDS]);
      expect(result.sent).toEqual(SERVER_KEY);
      expect(result.closed).toBe('end');
      expect(result.outcome).toMatchObject({ ok: true, outcome: 'left', detail: 'the client left before its key' });
    }
  });
});

describe('idle timeout after a dl', () => {
  const IDLE = 1000;
  const slow = () => ardeiAdvancedServer(files(), { maxRequest: 4096, idleTimeoutMs: IDLE }).accept('c1');
  const afterDl = (then: ReplayInput[]) => replay(slow(), [CLIENT_KEY, Buffer.from('dl top.txt929Z'), ...then]);

  it('is re-armed by the reader acknowledging the file: a slow reader still taking it is not cut', async () => {
    const reading = Array.from({ length: 5 }, (): ReplayInput[] => [{ wait: IDLE - 100 }, PEER_ACKNOWLEDGES]).flat();
    const result = await afterDl([...reading, Buffer.from('quit929Z')]);
    expect(result.outcome).toMatchObject({ ok: true });
    expect(result.states).not.toContain('failed');
  });

  it('cuts a client that takes and sends nothing for the idle timeout', async () => {
    const result = await afterDl([{ wait: IDLE }]);
    expect(result.outcome).toMatchObject({ outcome: 'timed_out', code: 'peer.idle' });
  });
});

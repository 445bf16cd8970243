/** Ardei's advanced variant driven by scripted bytes (no sockets): the key, ls, chdir inside the root only, dl split by size. */
import { PEER_ENDS, replay, type ReplayInput } from '../../src/engine/replay';
import { MemoryFiles } from '../../src/storage/memory-files';
import { CLIENT_KEY, SERVER_KEY, announcedSize, parseCommand, resolveFrom } from './advanced-codec';
import { AdvancedReplyReader } from './advanced-readers';
import { ardeiAdvancedServer } from '.';

const files = () => new MemoryFiles({ 'top.txt': 'top', 'docs/a.txt': 'alpha', 'docs/deep/b.txt': 'bravo' });
const session = (commands: string[], extra: ReplayInput[] = []) =>
  replay(ardeiAdvancedServer(files(), { maxRequest: 4096 }).accept('c1'), [CLIENT_KEY, ...commands.map((command) => Buffer.from(`${command}\n`)), ...extra]);
const replies = (sent: Buffer) => sent.subarray(SERVER_KEY.length).toString().split('929Z');

describe('codec', () => {
  it('reads commands and keeps every path inside the root', () => {
    expect(parseCommand(' dl docs/a.txt ')).toEqual({ kind: 'dl', path: 'docs/a.txt' });
    expect(parseCommand('chdir')).toEqual({ kind: 'unknown' });
    expect(resolveFrom('docs', '../..')).toBe('');
    expect(resolveFrom('docs', 'deep/')).toBe('docs/deep');
    expect(resolveFrom('', '/etc/../docs')).toBe('docs');
    expect(announcedSize('Sending a.txt size: SpLiT5')).toEqual({ path: 'a.txt', size: 5 });
  });

  it('splits replies at 929Z and a dl by its announced size, however the bytes are cut', () => {
    const stream = Buffer.concat([SERVER_KEY, Buffer.from('Sending a.txt size: SpLiT5929Zalpha'), Buffer.from('Unrecognized Command!929Z')]);
    for (let at = 0; at <= stream.length; at++) {
      const reader = new AdvancedReplyReader();
      const frames: unknown[] = [];
      for (const chunk of [stream.subarray(0, at), stream.subarray(at)]) {
        reader.push(chunk);
        for (let frame = reader.next(); frame; frame = reader.next()) frames.push(frame.type === 'frame.data' ? { type: 'frame.data', text: frame.chunk.toString() } : frame);
      }
      const data = frames.filter((frame) => (frame as { type: string }).type === 'frame.data').map((frame) => (frame as { text: string }).text).join('');
      expect(data).toBe('alpha');
      expect(frames[0]).toEqual({ type: 'frame.key' });
      expect(frames.at(-1)).toEqual({ type: 'frame.reply', text: 'Unrecognized Command!' });
    }
  });
});

describe('server', () => {
  it('sends its key, then answers ls, chdir and dl in the working directory of this connection', async () => {
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
    expect(result.outcome).toMatchObject({ ok: true, outcome: 'quit', detail: '6 command(s)' });
  });

  it('never leaves the root, and says so for what is not there', async () => {
    const result = await session(['chdir ../../..', 'chdir nowhere', 'dl ../../etc/passwd', 'dl docs', 'frobnicate', 'quit']);
    expect(replies(result.sent)).toEqual([
      'The new current working directory on the server is: /',
      'Not a recognised directory.',
      'Invalid File!',
      'Invalid File!',
      'Unrecognized Command!',
      '',
    ]);
  });

  it('takes a command without a newline after the quiet period, as the original client sends it', async () => {
    const result = await replay(ardeiAdvancedServer(files(), { maxRequest: 4096 }).accept('c1'), [CLIENT_KEY, Buffer.from('ls'), { wait: 50 }, PEER_ENDS]);
    expect(replies(result.sent)[0]).toMatch(/^Current Working Directory: \//);
  });
});

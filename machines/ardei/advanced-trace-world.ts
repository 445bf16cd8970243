/**
 * The folder an advanced server trace was recorded against, rebuilt from the
 * replies it sent: folders and files its listings named (files empty), the
 * folders it moved into, and the bytes of each file it sent. Enough for a
 * replay to send the same replies.
 */
import { MemoryFiles } from '../../src/storage/memory-files';
import { resolveFrom } from './advanced-codec';
import { AdvancedReplyReader } from './advanced-readers';

export function worldFromReplies(sent: Buffer): MemoryFiles {
  const files: Record<string, Buffer> = {};
  const reader = new AdvancedReplyReader();
  reader.push(sent);
  let cwd = '';
  let download: { key: string; chunks: Buffer[] } | undefined;
  const at = (name: string) => (cwd === '' ? name : `${cwd}/${name}`);
  for (let frame = reader.next(); frame; frame = reader.next()) {
    if (frame.type === 'frame.data') download?.chunks.push(frame.chunk);
    if (frame.type === 'frame.data_end' && download) files[download.key] = Buffer.concat(download.chunks);
    if (frame.type !== 'frame.reply') continue;
    const listing = /^Current Working Directory: \/(.*)\n\nFolders: \n\n([^]*?)\nFiles: \n\n([^]*)$/.exec(frame.text);
    const moved = /^The new current working directory on the server is: \/(.*)$/.exec(frame.text);
    const sending = /^Sending (.*) size: SpLiT\d+$/.exec(frame.text);
    if (listing) {
      cwd = listing[1];
      for (const folder of listing[2].split('\n').filter(Boolean)) files[`${at(folder)}/`] = Buffer.alloc(0);
      for (const file of listing[3].split('\n').filter(Boolean)) files[at(file)] ??= Buffer.alloc(0);
    } else if (moved) {
      cwd = moved[1];
      if (cwd !== '') files[`${cwd}/`] = Buffer.alloc(0);
    } else if (sending) {
      download = { key: resolveFrom(cwd, sending[1]), chunks: [] };
    }
  }
  return new MemoryFiles(files);
}

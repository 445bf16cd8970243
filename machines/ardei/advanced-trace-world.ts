/**
 * The folder an advanced server trace was recorded against, rebuilt from the
 * replies it sent: folders and files its listings named (files empty), the
 * folders it moved into, and the bytes of each file it sent. Enough for a
 * replay to send the same replies.
 */
import { MemoryFiles } from '../../src/storage/memory-files';
import { announcedSize, movedTo, parseListing, resolveFrom } from './advanced-codec';
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
    // The codec reads the replies, as it writes them: no wording of its own here.
    const listing = parseListing(frame.text);
    const moved = movedTo(frame.text);
    const sending = announcedSize(frame.text);
    if (listing) {
      cwd = listing.cwd;
      for (const folder of listing.folders) files[`${at(folder)}/`] = Buffer.alloc(0);
      for (const file of listing.files) files[at(file)] ??= Buffer.alloc(0);
    } else if (moved !== undefined) {
      cwd = moved;
      if (cwd !== '') files[`${cwd}/`] = Buffer.alloc(0);
    } else if (sending) {
      download = { key: resolveFrom(cwd, sending.path), chunks: [] };
    }
  }
  return new MemoryFiles(files);
}

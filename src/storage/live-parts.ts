/**
 * The kept uploads (`.NAME.ID.wirestate-resume`) that connections are writing now, for the expiry sweep
 * (kept-uploads.ts): a part a connection holds is never swept, however long its client stalls, and a part
 * its connection let go is dated then, so its keep time counts from the connection's end, not from its last
 * write (which a stalled upload made long before).
 */
import { lutimes } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { IncomingFile } from './file-store';
import { holdFolder } from './held-folder';

export class LiveParts {
  /** Connections writing each part: one at a time, but the next may open it before the last one's stream has closed. */
  private readonly writers = new Map<string, number>();

  /** `root`: the served folder, which every part lies under; a part is dated only through a folder inside it. */
  constructor(private readonly root: string) {}

  /** Holds the part at `path` (a real path) that `file` writes, until its stream has closed, then dates it. */
  hold<File extends IncomingFile>(path: string, file: File): File {
    this.writers.set(path, (this.writers.get(path) ?? 0) + 1);
    file.stream.once('close', () => {
      void this.dateNow(path).finally(() => this.letGo(path));
    });
    return file;
  }

  /** Whether a connection is writing the part at `path` (as `hold` was given it). */
  isHeld(path: string): boolean {
    return this.writers.has(path);
  }

  private letGo(path: string): void {
    const left = (this.writers.get(path) ?? 1) - 1;
    if (left > 0) this.writers.set(path, left);
    else this.writers.delete(path);
  }

  /** Dates the part now, if it is still there (a committed one has moved into place). */
  private async dateNow(path: string): Promise<void> {
    let folder;
    try {
      folder = holdFolder(dirname(path), { root: this.root });
    } catch {
      return; // its folder is gone or now leads outside the root: nothing to date
    }
    const now = new Date();
    await lutimes(folder.path(basename(path)), now, now)
      .catch(() => undefined)
      .finally(() => folder.close());
  }
}

/**
 * What the line of a transfer a signal stopped says became of it (`download interrupted (Ctrl-C) at 4.50 MiB of
 * 286.1 MiB: the part is kept, the same command resumes it`), and whether `--log-format json` calls it resumable:
 * only when a part is kept that the same command continues (here for a download, on the server for an upload).
 */
import { formatBytes } from '../log/logger';

type Operation = 'download' | 'upload';

/** Where a transfer stood at the signal (transfer-file.ts keeps it up to date). */
export interface TransferStand {
  /**
   * A download's bytes in its part; an upload's that left here (the kernel has their acknowledgement), its resumed
   * start included: through a proxy, more than the server has.
   */
  bytes: number;
  total: number;
  /** Both sides agreed to resume: an interruption keeps what came. */
  resumes: boolean;
  /** The server has said where the transfer starts (resume from a kept part, or from 0). */
  answered: boolean;
  /** The machine has ended with the file in place (a signal can still come while the connection closes). */
  stored: boolean;
  /** An upload has handed every byte to the socket and waits for the server to say it stored them. */
  unconfirmed: boolean;
}

/** A download's part an earlier run kept, before the server has said whether this run resumes it. */
export interface EarlierPart {
  offset: number;
  size: number;
}

/** Where an interrupted transfer that can resume keeps what it moved. */
const partKept = { download: 'the part is kept', upload: 'the server keeps what reached it' } as const;

/** What a signal that came after the file was stored, as the connection closed, says of it. */
const storedAlready = { download: 'the file was already in place, whole', upload: 'the server had already stored it' };

export interface InterruptedEnding {
  /** `at 4.50 MiB of 286.1 MiB: the part is kept, the same command resumes it` */
  words: string;
  bytes: number;
  resumable: boolean;
}

export function interruptedEnding(
  operation: Operation,
  stand: TransferStand,
  earlier?: EarlierPart,
): InterruptedEnding {
  // Until the server has answered, an earlier run's part stays as it was: the line counts what it holds, of the size
  // it was kept for. A part with no byte in it is not kept, here or on the server (resumable-file.ts).
  const bytes = earlier?.offset ?? stand.bytes;
  const total = earlier && stand.total === 0 ? earlier.size : stand.total;
  const kept = earlier !== undefined || (stand.resumes && bytes > 0);
  const ending = () => {
    if (stand.stored) return storedAlready[operation];
    if (stand.unconfirmed && bytes >= total)
      return `every byte sent, the server had not confirmed storing it: the same command finds it stored (the name exists) or ${kept ? 'resumes it' : 'sends it again'}`;
    if (kept) return `${partKept[operation]}, the same command resumes it`;
    // The server has not said yet whether it holds a part of an earlier run: whatever it holds stays.
    if (operation === 'upload' && stand.resumes && !stand.answered)
      return 'nothing sent: a part the server kept of an earlier run, if any, stays';
    return 'nothing kept';
  };
  const of = total > 0 ? ` of ${formatBytes(total)}` : '';
  return { words: `at ${formatBytes(bytes)}${of}: ${ending()}`, bytes, resumable: kept && !stand.stored };
}

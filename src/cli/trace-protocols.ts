/** Protocols whose traces `wirestate replay` can decode and re-run: adding a protocol adds a line. */
import { ardeiAdvancedTraceSupport, ardeiTraceSupport } from '../../machines/ardei';
import { blocksTraceSupport } from '../../machines/blocks';
import { queueTraceSupport } from '../../machines/queue/trace-support';
import { shareTraceSupport } from '../../machines/share';
import { sumTraceSupport } from '../../machines/sum';
import { upperTraceSupport } from '../../machines/upper';
import { transferFrameNamer } from '../../machines/transfer/trace-describe';
import { specFromTrace, transferMachines } from '../../machines/transfer/trace-world';
import type { TraceSupport } from '../trace/trace-support';

export const TRACE_PROTOCOLS: Record<string, TraceSupport> = {
  transfer: { nameFrames: transferFrameNamer, specFromTrace, machines: transferMachines() },
  queue: queueTraceSupport('tcp'),
  'queue-udp': queueTraceSupport('udp'),
  upper: upperTraceSupport(),
  sum: sumTraceSupport(),
  blocks: blocksTraceSupport(),
  share: shareTraceSupport(),
  ardei: ardeiTraceSupport('tcp'),
  'ardei-udp': ardeiTraceSupport('udp'),
  'ardei-advanced': ardeiAdvancedTraceSupport(),
};

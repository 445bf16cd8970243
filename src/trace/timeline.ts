/** A trace as a person debugging a capture reads it: one line per event, frames decoded. */
import { chunkBytes, type Trace } from './trace-format';
import type { FrameNamer } from './trace-support';

/** The peer's FIN, as the timeline and the inspector's log say it. */
export const PEER_ENDED = 'the peer ended its side';

export function formatTimeline(trace: Trace, nameFrames?: FrameNamer): string[] {
  const { header } = trace;
  const lines = [
    `${header.protocol} ${header.role}${header.connection === header.role ? '' : ` ${header.connection}`}, peer ${header.peer}, wirestate ${header.version}, started ${header.started}`,
  ];
  for (const entry of trace.entries) {
    const time = `${entry.t.toFixed(3).padStart(10)} ms`;
    const bytes = chunkBytes(entry);
    if (bytes) {
      const direction = 'in' in entry ? 'in' : 'out';
      const frames = nameFrames ? nameFrames(direction, bytes).join(', ') || '(part of a frame)' : '';
      lines.push(`${time}  ${direction.padEnd(6)}${`${bytes.length} B`.padStart(9)}  ${frames}`);
    } else if ('state' in entry) {
      lines.push(`${time}  state  ${' '.repeat(9)} ${entry.state}`);
    } else if ('end' in entry) {
      lines.push(`${time}  end    ${' '.repeat(9)} ${PEER_ENDED}`);
    } else if ('error' in entry) {
      lines.push(`${time}  error  ${' '.repeat(9)} ${entry.error}`);
    } else if ('outcome' in entry) {
      const { outcome } = entry;
      lines.push(
        `${time}  done   ${' '.repeat(9)} ${outcome.outcome}${outcome.detail ? ` (${outcome.detail})` : ''}, ${outcome.bytes} B`,
      );
    }
  }
  return lines;
}

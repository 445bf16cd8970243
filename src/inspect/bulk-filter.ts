import type { InspectionEvent } from 'xstate';

/** Events that move or pace bulk bytes; everything else is a protocol step worth showing. */
const BULK = new Set([
  'frame.data',
  'file.progress',
  'wire.full',
  'wire.drain',
  'file.full',
  'file.drain',
  'source.active',
  'source.report',
  'sink.report',
]);

/** True for inspection events about bulk bytes, which never go into the inspection stream. */
export function isBulk(event: InspectionEvent): boolean {
  return 'event' in event && BULK.has((event as { event: { type: string } }).event.type);
}

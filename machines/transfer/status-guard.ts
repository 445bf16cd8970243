import type { Status } from './frames';

/** The `statusIs` guard, for any event carrying a status byte: `guard: statusIs(STATUS.yes)`. */
export const statusIs = (expected: Status) => ({
  type: 'statusIs' as const,
  params: ({ event }: { event: { status: number } }) => ({ actual: event.status, expected }),
});

/**
 * An outcome's name as a log line's prose says it (`protocol_error` -> `protocol error`, `queue_empty` -> `empty
 * queue`); the line's `outcome` field keeps the name, for log readers to match on.
 */
const PROSE: Record<string, string> = { queue_empty: 'empty queue' };

export const outcomeProse = (outcome: string): string => PROSE[outcome] ?? outcome.replace(/_/g, ' ');

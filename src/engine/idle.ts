/** The idle timeout every machine's `idle` delay reads: how long a peer may send nothing while a state waits for it. */

/** Unless configured (`--idle-timeout`). */
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** The `idle` delay of any machine whose context may carry `idleTimeoutMs`. */
export const idleDelay = ({ context }: { context: { idleTimeoutMs?: number } }) =>
  context.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;

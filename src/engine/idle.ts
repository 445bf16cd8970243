/**
 * The idle timeout: how long a peer may do nothing (send nothing, take nothing) while a state waits for it. The
 * connection's watchdog (idle-watchdog.ts) and the file actors read it from the machine's context.
 */

/** Unless configured (`--idle-timeout`). */
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** The idle timeout of any machine whose context may carry `idleTimeoutMs`. */
export const idleDelay = ({ context }: { context: { idleTimeoutMs?: number } }) =>
  context.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;

/** What the watchdog tells a machine that has stood still for the idle timeout; a state waiting for the peer fails on it. */
export const PEER_IDLE_EVENT = 'peer.idle';

/**
 * The idle timeout: how long a peer may send nothing while a state waits for it, counted from the moment the
 * state was entered (or re-entered). The connection's watchdog (idle-watchdog.ts) and the file actors read it
 * from the machine's context.
 */

/** Unless configured (`--idle-timeout`). */
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** The idle timeout of any machine whose context may carry `idleTimeoutMs`. */
export const idleDelay = ({ context }: { context: { idleTimeoutMs?: number } }) =>
  context.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;

/** What the watchdog tells a machine that has stood still for the idle timeout; a state waiting for the peer fails on it. */
export const PEER_IDLE_EVENT = 'peer.idle';

/**
 * The action of a transition that re-enters its own state (`reenter: true`: the peer's bytes read in pieces, its
 * acknowledgements): entering it anew starts its idle period over, as entering any other state does. The watchdog
 * sees a state entered when the machine's states change; a state re-entered leaves them as they were, so it says so
 * (the `restartIdle` action of wire-actions.ts, which every machine has).
 */
export const restartsIdle = 'restartIdle' as const;

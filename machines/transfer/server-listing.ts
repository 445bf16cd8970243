/**
 * The transfer server's listing (docs/protocol-extensions.md, "Listing `l`"): after a hello that agreed
 * `list`, an `l` request is answered with LIST_REPLY `t` and the served folder's files in LIST_CHUNKs,
 * streamed by the `listSource` actor through the machine's wire writes like a download's bytes (its
 * buffers are the backpressure), then the close.
 */
import { sendFromSource } from '../../src/engine/bulk-states';
import type { StateTarget } from '../../src/engine/state-targets';
import { EXT_YES } from './extension-frames';

/**
 * `listing` writes LIST_REPLY, then sends the chunks until the listing's reads end, and goes to
 * `completeTarget`; a folder that cannot be read fails the connection (a reset, as a failed download).
 */
export function serverListingStates(completeTarget: StateTarget, failedTarget: StateTarget) {
  return {
    listing: {
      entry: { type: 'write' as const, params: { bytes: Buffer.of(EXT_YES) } },
      ...sendFromSource({
        ref: () => '',
        sentTarget: completeTarget,
        outcome: 'listed' as const,
        failure: 'server_error' as const,
        failedTarget,
        untilEndFrom: 'listSource' as const,
      }),
    },
    list_complete: { type: 'final' as const, entry: 'end' as const },
  };
}

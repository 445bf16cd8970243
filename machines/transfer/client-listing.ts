/**
 * The transfer client's listing (docs/protocol-extensions.md, "Listing `l`"): once the hello is over, a
 * list client sends `l` if the server agreed `list` and receives the LIST_CHUNKs' entries into its sink
 * (a memory file: the caller decodes them, list-frames.ts `decodeListEntries`), kept only once the
 * server has closed after the last chunk. A server that cannot list ends the run as `cannot_list`; an
 * original one (no hello reply in time) first gets a plain farewell request, so it is not left spinning.
 */
import { receiveIntoSink, peerIdleFails } from '../../src/engine/bulk-states';
import type { StateTarget } from '../../src/engine/state-targets';
import { READING_TAG } from '../../src/engine/protocol';
import { PEER_IDLE_EVENT } from '../../src/engine/idle';
import { STATUS, encodeStatus, statusLetter } from './frames';
import { LISTING_LIMIT, LIST_CHUNK_HEADER_SIZE, encodeListRequest, encodePlainFarewell } from './list-frames';

const cannotList = (detail: string) => ({
  type: 'finish' as const,
  params: { outcome: 'cannot_list' as const, code: 'peer.cannot_list' as const, detail },
});
const PLAIN_ONLY = cannotList('the server speaks only the plain protocol, which has no listing');
const SILENT = cannotList('the server answered neither the hello nor a plain request');

/**
 * The sink counts the entries; each LIST_CHUNK's header is counted here, so `bytes` is the listing as it came
 * after LIST_REPLY, what the server counts (it sends the chunks, headers and all, as a download's DATA).
 */
function withChunkHeadersCounted<State extends { on?: object }>(state: State) {
  return {
    ...state,
    on: {
      ...state.on,
      'frame.list_chunk': { actions: { type: 'countBytes' as const, params: { count: LIST_CHUNK_HEADER_SIZE } } },
    },
  };
}

/** The states after `choose_request` for a list run: `choose_list` is where it enters. */
export function clientListingStates(completeTarget: StateTarget, failedTarget: StateTarget) {
  return {
    choose_list: {
      always: [
        { guard: 'fellBack' as const, target: 'init_plain_farewell' },
        { guard: 'listAgreed' as const, target: 'init_list' },
        { target: 'cannot_list', actions: cannotList('the server did not agree list in its hello reply') },
      ],
    },
    init_list: {
      entry: [{ type: 'write' as const, params: { bytes: encodeListRequest() } }, 'flush' as const],
      always: 'send_list_request',
    },
    send_list_request: { on: { ...peerIdleFails(failedTarget), 'wire.flushed': 'check_list' } },
    check_list: {
      tags: READING_TAG,
      on: {
        ...peerIdleFails(failedTarget),
        'frame.list_reply': 'listing',
        'frame.download_reply': {
          target: failedTarget,
          actions: {
            type: 'finish' as const,
            params: ({ event }: { event: { status: number } }) => ({
              outcome: 'protocol_error' as const,
              code: 'protocol.violation' as const,
              detail: `unexpected reply ${statusLetter(event.status)} to a list request`,
            }),
          },
        },
      },
    },
    listing: withChunkHeadersCounted(
      receiveIntoSink({
        ref: () => '',
        storedTarget: completeTarget,
        outcome: 'listed' as const,
        // The listing is kept in memory, which fails only past its limit: the server's doing.
        failure: 'protocol_error' as const,
        failedTarget,
        thenPeerEnds: true,
        limit: () => ({
          bytes: LISTING_LIMIT,
          detail: `a listing of more than ${LISTING_LIMIT / 1024 / 1024} MiB, more than a client keeps`,
        }),
      }),
    ),
    list_complete: { type: 'final' as const, entry: 'end' as const },

    /** A plain `D` of the empty name, which an original server answers `F` (or `T`, declined) and closes on. */
    init_plain_farewell: {
      entry: [{ type: 'write' as const, params: { bytes: encodePlainFarewell() } }, 'flush' as const],
      always: 'send_plain_farewell',
    },
    send_plain_farewell: { on: { ...peerIdleFails(failedTarget), 'wire.flushed': 'check_plain_farewell' } },
    /**
     * Given as long as the hello was, or the idle timeout if shorter: a server silent to both cannot list
     * either, and is not waited on longer.
     */
    check_plain_farewell: {
      tags: READING_TAG,
      after: { helloWait: { target: 'farewell_unanswered', actions: SILENT } },
      on: {
        [PEER_IDLE_EVENT]: { target: 'farewell_unanswered', actions: SILENT },
        // A wirestate server's reply to the hello, come too late: it answers the plain request plainly.
        'frame.hello_reply': {},
        'frame.download_reply': [
          {
            guard: ({ event }: { event: { status: number } }) => event.status === STATUS.yes,
            target: 'cannot_list',
            actions: [{ type: 'write' as const, params: { bytes: encodeStatus(STATUS.no) } }, PLAIN_ONLY],
          },
          { target: 'cannot_list', actions: PLAIN_ONLY },
        ],
      },
    },
    cannot_list: { type: 'final' as const, entry: 'end' as const },
    /** A reset, as for any wait that ran out: a FIN would linger for a close this server may never send. */
    farewell_unanswered: { type: 'final' as const, entry: 'reset' as const },
  };
}

/**
 * The root transition both transfer machines share: bytes the frame reader cannot read as a frame the
 * current state expects (`frame.unexpected`, frame-reader.ts) end the connection in `failed` as the
 * peer's protocol error.
 */
export const protocolErrorOnUnexpectedBytes = {
  'frame.unexpected': {
    target: '.failed',
    actions: {
      type: 'finish' as const,
      params: ({ event }: { event: { length: number } }) => ({
        outcome: 'protocol_error' as const,
        code: 'protocol.violation' as const,
        detail: `${event.length} unexpected bytes`,
      }),
    },
  },
};

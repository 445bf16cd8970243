/**
 * The transfer server's replies and endings that its seed states and its extensions' states (server.ts,
 * server-resume.ts, server-upload-limits.ts) share: a status byte on the wire and the `finish` that says why.
 */
import { errorCode } from '../../src/storage/errors';
import { encodeStatus, type Status } from './frames';
import type { Finish, TransferCode, TransferOutcome } from './outcome';

/** A one-byte reply (UPLOAD_REPLY, UPLOAD_SIZE_REPLY): `T`, `N` or `E`. */
export const replyStatus = (status: Status) => ({ type: 'write' as const, params: { bytes: encodeStatus(status) } });

/** The `finish` action with its detail taken from the transition's event or context. */
export const finishWith = <A>(
  outcome: TransferOutcome,
  code: TransferCode,
  detail: (args: A) => string | undefined,
) => ({
  type: 'finish' as const,
  params: (args: A): Finish => ({ outcome, code, detail: detail(args) }),
});

/** An actor of the storage failed (its `onError`): the server's error, with the errno as the detail. */
export const storageFailed = finishWith('server_error', 'storage.failed', ({ event }: { event: { error: unknown } }) =>
  errorCode(event.error),
);

/** The client broke the protocol: the connection fails (a reset). */
export const protocolViolation = (detail: string) => ({
  type: 'finish' as const,
  params: { outcome: 'protocol_error' as const, code: 'protocol.violation' as const, detail },
});

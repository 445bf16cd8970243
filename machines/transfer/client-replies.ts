/**
 * The transfer client's endings that its download and upload states (client.ts, client-upload.ts) share:
 * the `finish` that says why, in words, and what a reply the client did not ask for means.
 */
import { statusLetter } from './frames';
import type { Finish, TransferCode } from './outcome';

/** The `finish` action with a fixed outcome, code and detail. */
export const finish = (outcome: Finish['outcome'], code: TransferCode, detail?: string) => ({
  type: 'finish' as const,
  params: { outcome, code, detail },
});

/** What an `E` tells, in words: the protocol's "any other error", which is also how a server refuses a name. */
export const answeredE = (verb: 'serve' | 'take') =>
  `it answered E (something went wrong on its side, or it will not ${verb} that name, such as one leading out of its folder)`;

/** A reply whose status byte is none the protocol has at that point. */
export const badReply = (status: number) =>
  finish('protocol_error', 'protocol.violation', `unexpected reply ${statusLetter(status)}`);

/**
 * A hello reply that comes after the wait, behind the plain request already sent: the server is a
 * wirestate server on a slow link. It answers the plain request plainly (its op is uppercase), so the
 * reply is passed over and the plain protocol goes on.
 */
export const LATE_HELLO_REPLY = { 'frame.hello_reply': {} };

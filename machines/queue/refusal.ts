/** Why a message was not kept: its code (the queue full, or the store failing), and for the log the queue's own words or the error's code. */
import { WirestateError, errorCode } from '../../src/storage/errors';
import type { QueueCode } from './outcome';

export const refusal = (error: unknown): string => (error instanceof WirestateError ? error.message : errorCode(error));

export const refusalCode = (error: unknown): Extract<QueueCode, 'queue.full' | 'storage.failed'> =>
  errorCode(error) === 'queue.full' ? 'queue.full' : 'storage.failed';

/** Why a message was not kept, for the log: the queue's own words when it is full, else the error's code. */
import { WirestateError, errorCode } from '../../src/engine/errors';

export const refusal = (error: unknown): string => (error instanceof WirestateError ? error.message : errorCode(error));

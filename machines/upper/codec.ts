/**
 * The `upper` exercise's wire format (PROTOCOLS-OTHER.md): the request is one
 * line (text-request.ts says where it ends); the reply is that line
 * upper-cased, without a newline, ended by the server closing.
 */
import { encodeLines } from '../../src/engine/text-request';

/** The seed server's port. */
export const UPPER_PORT = 12000;
/** The seed server's receive buffer: the longest request read. */
export const UPPER_MAX_REQUEST = 2048;

export const upperCased = (sentence: string): Buffer => Buffer.from(sentence.toUpperCase());

export const encodeSentence = (sentence: string): Buffer => encodeLines([sentence]);

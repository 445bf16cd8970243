/** An xstate action that throws, as a bug in a machine's action would: what observers must survive. */
export const CRASH_MESSAGE = 'a bug in an action';

export function crash(): never {
  throw new Error(CRASH_MESSAGE);
}

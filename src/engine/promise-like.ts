/** Whether an effect's answer is a promise (to wait for) rather than the value itself (to use at once). */
export const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';

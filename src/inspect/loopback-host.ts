/**
 * The inspector answers only to the names of this machine's loopback (`127.0.0.1:PORT`, `localhost:PORT`). A web
 * page elsewhere can point a name of its own at 127.0.0.1 (DNS rebinding) and read the live connections or post
 * traces through the visitor's browser: its requests carry that name in `Host`, and are refused.
 */
const LOOPBACK_NAMES = /^(localhost|127(\.\d{1,3}){3})$/i;

/** Whether a request's `Host` header names this machine's loopback (a missing one is not a browser's). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  return LOOPBACK_NAMES.test(host.replace(/:\d+$/, ''));
}

/**
 * The inspector answers its own page only. A page on another site cannot read its replies, but could still send it
 * requests through the visitor's browser (a `text/plain` POST needs no preflight); a browser says whose page sends
 * one in `Origin`, and a request whose `Origin` is not the inspector's own is refused.
 */

/** Whether a request's `Origin` is the page served from its `Host`. */
export function isOwnOrigin(origin: string, host: string | undefined): boolean {
  return host !== undefined && origin.toLowerCase() === `http://${host.toLowerCase()}`;
}

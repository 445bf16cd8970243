/**
 * The transfer client's default server is the seed's: its stammering proxy on 50000, not the server (50001).
 * Refused there, a newcomer who started only the server learns how to reach it.
 */
import { PROXY_PORT, TRANSFER_PORT } from '../../machines/transfer/ports';

/** `cannot connect to 127.0.0.1:50000: connection refused ...`, with what 50000 is and the way to the server. */
export const withProxyHint = (message: string, port: number): string =>
  port === PROXY_PORT && message.includes('ECONNREFUSED')
    ? `${message}; ${PROXY_PORT} is the proxy's port: start the proxy (wirestate proxy), or reach the server directly with -s 127.0.0.1:${TRANSFER_PORT}`
    : message;

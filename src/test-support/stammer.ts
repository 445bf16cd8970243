/** The stammer proxy as the tests start it: on loopback, port 0, in front of a local `upstreamPort`, logging nothing. */
import winston from 'winston';
import { startProxy, type ProxyOptions, type RunningProxy } from '../proxy/stammer-proxy';

const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });

/** How the proxy cuts and delays (and maybe corrupts) what it relays, and where it logs (nowhere unless told) and records traces. */
export type StammerShape = Pick<ProxyOptions, 'maxFragment' | 'maxDelayMs' | 'seed' | 'corrupt'> &
  Partial<Pick<ProxyOptions, 'log' | 'recordDir'>>;

export const stammerTo = (upstreamPort: number, shape: StammerShape): Promise<RunningProxy> =>
  startProxy({
    host: '127.0.0.1',
    port: 0,
    upstream: { host: '127.0.0.1', port: upstreamPort },
    log: silent,
    ...shape,
  });

/**
 * Every protocol wirestate speaks, in the order `--help` lists them: the one
 * registration. Each entry is light (a name and one line); `load` brings in the
 * protocol's machines, so a command loads only the protocol it runs. The CLI,
 * `serve-all`, replay, the inspector and the fixture recorder read this list; adding a protocol is its
 * folder under machines/ and one entry here.
 */
import type { ProtocolDescriptor } from './protocol-descriptor';
import type { TraceSupport } from '../src/trace/trace-support';

/** A protocol before it is loaded: what `wirestate --help` shows of it. */
export interface ProtocolEntry {
  /** `wirestate NAME server|client`, its npm scripts and its fixtures folder; its descriptor has the same name. */
  name: string;
  /** One line for `wirestate --help`. */
  summary: string;
  load(): Promise<ProtocolDescriptor>;
}

export const PROTOCOLS: readonly ProtocolEntry[] = [
  {
    name: 'transfer',
    summary: 'File transfer over TCP, one file a connection (same as `server` / `client`)',
    load: async () => (await import('./transfer')).transferProtocol,
  },
  {
    name: 'queue',
    summary: 'FIFO message queue over TCP or UDP',
    load: async () => (await import('./queue')).queueProtocol,
  },
  {
    name: 'upper',
    summary: 'Lab exercise 1: a line in, the line upper-cased back',
    load: async () => (await import('./upper')).upperProtocol,
  },
  {
    name: 'sum',
    summary: 'Lab exercise 2: two names, two numbers and their sum',
    load: async () => (await import('./sum')).sumProtocol,
  },
  {
    name: 'blocks',
    summary: 'Lab exercise 3: fetch a file sent in 1024-byte blocks',
    load: async () => (await import('./blocks')).blocksProtocol,
  },
  {
    name: 'share',
    summary: 'Put, get and list files in a shared folder',
    load: async () => (await import('./share')).shareProtocol,
  },
  {
    name: 'ardei',
    summary: 'Echo, generated files and streams over TCP and UDP',
    load: async () => (await import('./ardei')).ardeiProtocol,
  },
];

/** Every protocol's descriptor, for what serves or reads them all (serve-all, replay, the inspector). */
export const loadProtocols = (): Promise<ProtocolDescriptor[]> =>
  Promise.all(PROTOCOLS.map((protocol) => protocol.load()));

/** Replay and chart support by the protocol name a trace header gives (`queue-udp`, `ardei-advanced`, ...). */
export const loadTraceSupport = async (): Promise<Record<string, TraceSupport>> =>
  Object.fromEntries((await loadProtocols()).flatMap((protocol) => Object.entries(protocol.traces)));

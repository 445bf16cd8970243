/**
 * Every protocol wirestate speaks, in the order `--help` lists them: the one
 * registration. The CLI, `serve-all`, replay and the inspector read this list;
 * adding a protocol is its folder under machines/ and one line here.
 */
import type { ProtocolDescriptor } from './protocol-descriptor';
import type { TraceSupport } from '../src/trace/trace-support';
import { ardeiProtocol } from './ardei';
import { blocksProtocol } from './blocks';
import { queueProtocol } from './queue';
import { shareProtocol } from './share';
import { sumProtocol } from './sum';
import { transferProtocol } from './transfer';
import { upperProtocol } from './upper';

export const PROTOCOLS: readonly ProtocolDescriptor[] = [
  transferProtocol,
  queueProtocol,
  upperProtocol,
  sumProtocol,
  blocksProtocol,
  shareProtocol,
  ardeiProtocol,
];

/** Replay and chart support by the protocol name a trace header gives (`queue-udp`, `ardei-advanced`, ...). */
export const TRACE_SUPPORT: Record<string, TraceSupport> = Object.fromEntries(
  PROTOCOLS.flatMap((protocol) => Object.entries(protocol.traces)),
);

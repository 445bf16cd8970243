/**
 * The xstate actions every protocol machine uses to ask the loop for I/O, and
 * to say what the connection is about. Instantiated per machine so that each
 * keeps its own types; every machine declares `MachineEmitted` as what it emits.
 */
import { emit, type EventObject, type MachineContext } from 'xstate';
import type { MachineEmitted, SessionRequest, WireCommand } from './protocol';

export function wireActions<TContext extends MachineContext, TEvent extends EventObject>() {
  const wire = (command: WireCommand) => emit<TContext, TEvent, undefined, TEvent, MachineEmitted>(command);
  return {
    write: emit<TContext, TEvent, { bytes: Uint8Array }, TEvent, MachineEmitted>((_, params) => ({
      type: 'wire.write',
      bytes: params.bytes,
    })),
    /** A write that must reach a peer still there, or not be made (a queue message taken for it goes back). */
    writeIfConnected: emit<TContext, TEvent, { bytes: Uint8Array }, TEvent, MachineEmitted>((_, params) => ({
      type: 'wire.write',
      bytes: params.bytes,
      ifConnected: true,
    })),
    flush: wire({ type: 'wire.flush' }),
    end: wire({ type: 'wire.end' }),
    reset: wire({ type: 'wire.reset' }),
    /** A state re-entered starts its idle period over (idle.ts `restartsIdle`). */
    restartIdle: emit<TContext, TEvent, undefined, TEvent, MachineEmitted>({ type: 'idle.restart' }),
    /** One log line saying what the peer asked for. */
    announce: emit<TContext, TEvent, Omit<SessionRequest, 'type'>, TEvent, MachineEmitted>((_, params) => ({
      type: 'session.request',
      ...params,
    })),
  };
}

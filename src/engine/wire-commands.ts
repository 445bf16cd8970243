/**
 * How a carrier (the socket loop, a UDP peer, replay) hears a connection's wire
 * commands: the machine's own, and, in a `bulk-out` state, the writes its file
 * source emits, which carry the file's bytes without stepping the machine.
 */
import type { AnyActorRef } from 'xstate';
import { SOURCE_ID } from './file-actors';
import { BULK_OUT_TAG, type WireCommand } from './protocol';
import type { SessionObservers } from './session-observers';

const WIRE_COMMANDS: readonly WireCommand['type'][] = ['wire.write', 'wire.flush', 'wire.end', 'wire.reset'];

/** Calls `carryOut` with every wire command of the observed actor and of each file source it invokes, in order. */
export function onWireCommands(observers: SessionObservers, carryOut: (command: WireCommand) => void): void {
  observers.on(WIRE_COMMANDS, carryOut);
  let source: AnyActorRef | undefined;
  observers.observe({
    next: (snapshot) => {
      // A source starts writing only once its first read completes, after this snapshot is seen.
      const child: AnyActorRef | undefined = snapshot.hasTag(BULK_OUT_TAG) ? snapshot.children[SOURCE_ID] : undefined;
      if (child === undefined || child === source) return;
      source = child;
      child.on('wire.write', carryOut);
    },
  });
}

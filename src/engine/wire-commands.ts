/**
 * How a carrier (the socket loop, a UDP peer, replay) hears a connection's wire
 * commands: the machine's own, and, in a `bulk-out` state, the writes its file
 * source emits, which carry the file's bytes without stepping the machine.
 */
import type { AnyActorRef } from 'xstate';
import { SOURCE_ID } from './file-actors';
import { BULK_OUT_TAG, type MachineEmitted, type WireCommand } from './protocol';
import type { SessionActor } from './session-actor';

const WIRE_COMMANDS: ReadonlySet<string> = new Set<WireCommand['type']>([
  'wire.write',
  'wire.flush',
  'wire.end',
  'wire.reset',
]);

const isWireCommand = (emitted: MachineEmitted): emitted is WireCommand => WIRE_COMMANDS.has(emitted.type);

/** Calls `carryOut` with every wire command of `actor` and of each file source it invokes, in order. */
export function onWireCommands(actor: SessionActor, carryOut: (command: WireCommand) => void): void {
  // One listener for the four commands rather than one each: xstate keeps a set per event type it is
  // listened for, and every connection would hold four of them (0.65 KiB of an idle connection's heap).
  actor.on('*', (emitted) => {
    if (isWireCommand(emitted)) carryOut(emitted);
  });
  let source: AnyActorRef | undefined;
  actor.subscribe({
    next: (snapshot) => {
      // A source starts writing only once its first read completes, after this snapshot is seen.
      const child: AnyActorRef | undefined = snapshot.hasTag(BULK_OUT_TAG) ? snapshot.children[SOURCE_ID] : undefined;
      if (child === undefined || child === source) return;
      source = child;
      child.on('wire.write', carryOut);
    },
    error: () => undefined, // the carrier's own subscription reports it
  });
}

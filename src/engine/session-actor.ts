/**
 * The parts of a connection's actor that the loop, the frame pump, replay and the inspector read. xstate
 * types any machine's actor (`AnyActorRef`) with an `any` snapshot; naming what is read here makes a wrong
 * field a type error instead of `undefined` at run time.
 */
import type { ActorRef, AnyActorRef, AnyEventObject, Snapshot, StateValue } from 'xstate';
import type { MachineEmitted, SessionOutcome } from './protocol';

export type SessionSnapshot = Snapshot<SessionOutcome> & {
  value: StateValue;
  children: Partial<Record<string, AnyActorRef>>;
  hasTag(tag: string): boolean;
  can(event: AnyEventObject): boolean;
};

export type SessionActor = ActorRef<SessionSnapshot, AnyEventObject, MachineEmitted>;

/** A client's actor as a command or test reads it: the context fields it shows (a spec's logic is untyped). */
export type ClientActor<Context> = ActorRef<Snapshot<unknown> & { context: Context }, AnyEventObject>;

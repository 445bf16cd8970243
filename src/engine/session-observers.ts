/**
 * Everything that watches a connection's actor (its carrier, idle watchdog, wire commands, request log, holds)
 * through one xstate subscription and one emitted-event listener, not four and three of their own: xstate binds
 * each subscriber's handlers and keeps a set per event type listened for (heap snapshots of 500 idle transfer
 * connections: 11.2 -> 10.9 KiB each). Observers hear snapshots, and listeners emitted events, in the order
 * they were added, as xstate's own would.
 */
import type { Observer } from 'xstate';
import type { MachineEmitted } from './protocol';
import type { SessionActor, SessionSnapshot } from './session-actor';

type EmittedOf<Type extends MachineEmitted['type']> = Extract<MachineEmitted, { type: Type }>;

export class SessionObservers {
  // Grown by copying to their exact length: a pushed or spread array keeps spare room (~300 B of every connection).
  private observers: readonly Partial<Observer<SessionSnapshot>>[] = [];
  private listeners: readonly { types: readonly string[]; heard: (emitted: MachineEmitted) => void }[] = [];

  /** Watches `actor` (created, not yet started) for all who are added. */
  constructor(readonly actor: SessionActor) {
    actor.subscribe({
      next: (snapshot) => this.observers.forEach((observer) => observer.next?.(snapshot)),
      error: (error) => this.observers.forEach((observer) => observer.error?.(error)),
      complete: () => this.observers.forEach((observer) => observer.complete?.()),
    });
    actor.on('*', (emitted) => {
      for (const { types, heard } of this.listeners) if (types.includes(emitted.type)) heard(emitted);
    });
  }

  /** From now on `observer` hears each snapshot, and the actor's end or failure. */
  observe(observer: Partial<Observer<SessionSnapshot>>): void {
    this.observers = this.observers.concat([observer]);
  }

  /** From now on `heard` gets each event the actor emits of one of `types`. */
  on<Type extends MachineEmitted['type']>(types: readonly Type[], heard: (emitted: EmittedOf<Type>) => void): void {
    this.listeners = this.listeners.concat([{ types, heard: heard as (emitted: MachineEmitted) => void }]);
  }
}

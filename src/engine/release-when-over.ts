/**
 * A connection's holds outside its machine (`ConnectionSpec.release`: a server's holds on the names its lookups
 * took) last exactly as long as its machine: freed the moment it is over, whether it finished, threw or was
 * stopped (a socket gone, the server stopping), wherever it runs (the loop, replay). Plain code rather than a
 * child actor that lived only to be stopped with its machine: that cost an actor per connection, and xstate does
 * not stop the children of a machine that throws, so its holds outlived it until the server stopped.
 */
import type { ConnectionSpec } from './protocol';
import type { SessionObservers } from './session-observers';

export function releaseWhenOver(observers: SessionObservers, { release }: ConnectionSpec): void {
  if (release) observers.observe({ complete: release, error: release });
}

/**
 * Targets by id (`#machine.state`) for the shared states (bulk-states.ts,
 * text-request-state.ts), checked by the compiler: a machine names the states
 * it targets once, and `checkTargets` fails to compile unless each is one of
 * the machine's top-level states as xstate infers them from its config.
 */
import type { AnyStateMachine, SnapshotFrom } from 'xstate';

/** The target of top-level state `State` of the machine whose id is `Id`. */
export type StateTarget<Id extends string = string, State extends string = string> = `#${Id}.${State}`;

/** Builds targets into machine `id`, for the state names `State` only. */
export const targetsIn =
  <State extends string>() =>
  <Id extends string>(id: Id) =>
  (state: State): StateTarget<Id, State> =>
    `#${id}.${state}`;

/** The machine's top-level state names, from the state values xstate infers from its config. */
export type TopStateOf<M extends AnyStateMachine> = SnapshotFrom<M>['value'] extends infer Value
  ? Value extends string
    ? Value
    : Value extends object
      ? keyof Value & string
      : never
  : never;

/** Returns `machine`; does not compile while one of `State` is not a top-level state of it (the error names it). */
export const checkTargets =
  // State is named by the caller and checked in `_missing`: used once on purpose.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the type argument is the input
  <State extends string>() =>
    <M extends AnyStateMachine>(
      machine: M,
      ..._missing: [State] extends [TopStateOf<M>] ? [] : [missing: Exclude<State, TopStateOf<M>>]
    ): M =>
      machine;

/**
 * The body of an actor a machine declares in `setup()` but does not implement:
 * the machine stays a module-level definition (drawn, replayed, tested as is),
 * and whoever runs it supplies the effect with `.provide({ actors })`. Run
 * without it, the actor fails with an error that names it.
 */
export const unprovided =
  (actor: string) =>
  (): never => {
    throw new Error(`actor '${actor}' was not provided`);
  };

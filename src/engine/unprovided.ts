/**
 * The body of an actor or action a machine declares in `setup()` but does not implement:
 * the machine stays a module-level definition (drawn, replayed, tested as is),
 * and whoever runs it supplies the effect with `.provide({ actors })`. Run
 * without it, the effect fails with an error that names it.
 */
export const unprovided = (effect: string) => (): never => {
  throw new Error(`'${effect}' was not provided`);
};

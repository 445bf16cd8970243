import { access } from 'node:fs/promises';

/** Whether something can be reached at `path` (a client checks before it would replace a local file). */
export const pathExists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

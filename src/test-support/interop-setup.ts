/** Global setup of the interop suite: stop at once, with one line, when the independent peers are absent. */
import { missingPeers } from './peers';

export default function interopSetup(): void {
  const missing = missingPeers();
  if (!missing) return;
  process.stderr.write(`\nwirestate: ${missing}\n`);
  process.exit(1);
}

/**
 * A trace's header must name a role and a protocol this wirestate knows: a timeline of anything else reads as
 * nonsense (`bogus nobody`, frames left undecoded) that looks like a real capture.
 */
import type { TraceHeader } from '../trace/trace-format';

const ROLES: readonly string[] = ['server', 'client', 'proxy'] satisfies TraceHeader['role'][];

/** The stammering proxy relays bytes without reading them: its traces name the transport (src/proxy). */
const PROXY_PROTOCOLS: readonly string[] = ['tcp'];

/** Why `header` names no known role or protocol (`protocols`: those with trace support), or undefined when it does. */
export function unknownTraceHeader(header: TraceHeader, protocols: readonly string[]): string | undefined {
  if (!ROLES.includes(header.role)) return unknownField('role', header.role, ROLES);
  const known = header.role === 'proxy' ? PROXY_PROTOCOLS : protocols;
  if (!known.includes(header.protocol)) return unknownField('protocol', header.protocol, known);
  return undefined;
}

const unknownField = (field: string, value: string, known: readonly string[]) =>
  `the trace header's ${field} ${JSON.stringify(value)} is not one wirestate knows (${known.join(', ')})`;

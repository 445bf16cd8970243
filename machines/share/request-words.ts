/**
 * A share request as the server's log says it: `put "b.txt"`, `get "b.txt"`, `list`, in the words the
 * transfer server uses (`upload "b.txt"`), not the wire's comma-separated `put,b.txt`. The name is quoted,
 * since it keeps the white space the original keeps; a request that is none of these is shown as it came.
 */
import type { ShareRequest } from './codec';

export function requestWords(request: ShareRequest, line: string): string {
  if (request.kind === 'list') return 'list';
  if (request.kind !== 'unknown') return `${request.kind} ${JSON.stringify(request.name)}`;
  const text = line.trim();
  return text === '' ? 'an empty request' : `an unknown request: ${JSON.stringify(text)}`;
}

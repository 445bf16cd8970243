/**
 * `wirestate client --list`: one connection that says hello, asks a wirestate server for its folder's
 * files (`l`, docs/protocol-extensions.md) and prints them as a table (listing-text.ts), or with `--json`
 * one object whose `files` holds them. A server that cannot list (an original one, or one that did not
 * agree `list`) is one line and exit 10, after at most the hello's wait.
 */
import { TRANSFER_PROTOCOL, transferClient } from '../../machines/transfer/client-connection';
import { IMPLEMENTED } from '../../machines/transfer/extension-frames';
import { decodeListEntries } from '../../machines/transfer/list-frames';
import { EXIT, FILE_TRANSFER_EXITS, exitCodeFor } from '../engine/exit-codes';
import type { SessionOutcome } from '../engine/protocol';
import { memoryLocalFile } from '../storage/memory-local-file';
import type { ListedFile } from '../storage/file-store';
import type { ClientArgs } from './client-options';
import { CannotConnect, runClientSession } from './client-session';
import { withProxyHint } from './proxy-port-hint';
import { printable } from './printable';
import { parseHostPort } from './host-port';
import { writeResult } from './json-result';
import { byName, listingText } from './listing-text';
import { jsonNotes, loggerFrom } from './logger-from';
import { outcomeWords } from './outcome-words';
import { hostPort } from '../loop/peer-name';

/** Lists the server's folder; returns the process exit code. */
export async function runList(args: ClientArgs): Promise<number> {
  const startedMs = performance.now();
  const { host, port } = parseHostPort(args.server);
  // The listing's bytes are kept in memory until the server's close says they are all there.
  const received = memoryLocalFile();
  const spec = transferClient(received, {
    operation: 'list',
    serverName: '',
    size: 0,
    idleTimeoutMs: args['idle-timeout'] * 1000,
    hello: { capabilities: IMPLEMENTED, waitMs: args['hello-wait'] * 1000 },
  });
  const notes = jsonNotes(args);
  const about = { connection: 'client', operation: 'list', peer: hostPort(host, port) };
  if (!args.quiet && !args.json) notes?.info(`list via ${hostPort(host, port)}`, { ...about, event: 'start' });
  let outcome: SessionOutcome | undefined;
  let exitCode: number = EXIT.ok;
  let problem: string | undefined;
  try {
    outcome = await runClientSession(
      // The end line below names the listing and the exit code: the session's would say it twice.
      { protocol: TRANSFER_PROTOCOL, transport: 'tcp', host, port, spec, logsEnd: false },
      args,
      loggerFrom(args, 'error'),
    );
    if (!outcome.ok) {
      exitCode = exitCodeFor(outcome.outcome, FILE_TRANSFER_EXITS);
      problem = outcomeWords(outcome.outcome, outcome.detail);
    }
  } catch (error) {
    if (!(error instanceof CannotConnect)) throw error;
    exitCode = EXIT.cannotConnect;
    problem = withProxyHint(error.message, port);
  }
  let files: ListedFile[] = [];
  if (exitCode === EXIT.ok)
    try {
      files = byName(decodeListEntries(received.stored ?? Buffer.alloc(0)));
    } catch (error) {
      // The listing came whole but is not one: the server broke the protocol.
      exitCode = exitCodeFor('protocol_error', FILE_TRANSFER_EXITS);
      problem = outcomeWords('protocol_error', (error as Error).message);
    }
  const output = exitCode === EXIT.ok ? listingText(files) : undefined;
  const summary = `${files.length} file${files.length === 1 ? '' : 's'} on ${hostPort(host, port)}`;
  const end = {
    ...about,
    event: 'end',
    outcome: outcome?.outcome ?? 'not_started',
    code: outcome?.code,
    bytes: outcome?.bytes ?? 0,
    exit_code: exitCode,
    duration_ms: Math.round(performance.now() - startedMs),
  };
  if (problem && notes) notes.error(problem, end);
  else if (problem) process.stderr.write(`wirestate client: ${printable(problem)}\n`);
  if (args.json)
    return writeResult(
      {
        operation: 'list',
        outcome,
        detail: problem,
        output,
        files:
          output === undefined
            ? undefined
            : files.map(({ name, size, mtimeMs }) => ({ name, size, mtime_ms: mtimeMs })),
        startedMs,
        exitCode,
      },
      'client',
      notes,
    );
  if (output !== undefined) {
    process.stdout.write(output);
    if (!args.quiet && notes) notes.info(summary, end);
    else if (!args.quiet) process.stderr.write(`${summary}\n`);
  }
  return exitCode;
}

/**
 * Fuzzing a live server over real sockets: random bytes, some shaped like the
 * start of a request, cut at random points, sent and then ended. The server
 * must answer no more than the protocol allows and close every connection.
 * `npm run fuzz -- --runs N` for a long run; the test suite runs a short one.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { OP, REQUEST_SIZE } from '../machines/transfer/frames';

/** Most a server may send back to one connection of these inputs: a download reply and a file of `largestFile` bytes. */
const replyLimit = (largestFile: number) => 9 + largestFile;

/** Random bytes, and bytes that start like a request for one of `names` so that they reach deeper states. */
export function hostileBytes(names: string[], maxLength: number) {
  return fc.oneof(
    fc.uint8Array({ maxLength }),
    fc
      .tuple(
        fc.constantFrom(OP.download, OP.upload),
        fc.constantFrom(...names),
        fc.uint8Array({ maxLength: maxLength / 2 }),
      )
      .map(([op, name, rest]) => {
        const request = Buffer.alloc(REQUEST_SIZE);
        request[0] = op;
        request.write(name, 1);
        return Buffer.concat([request, rest]);
      }),
  );
}

/** Sends `bytes` in pieces of the given sizes, ends, and collects the reply until the server closes. */
async function exchange(port: number, bytes: Uint8Array, pieces: number[]): Promise<Buffer> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined); // a reset is a fair answer to garbage; how the connection ends is not judged here
  const reply: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => reply.push(chunk));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const connected = await new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  if (!connected) return Buffer.concat(reply);
  let at = 0;
  for (const size of pieces) {
    if (at >= bytes.length) break;
    socket.write(bytes.subarray(at, at + size));
    at += size;
  }
  socket.end(bytes.subarray(at));
  await closed;
  return Buffer.concat(reply);
}

/** Runs `runs` generated exchanges against the server on `port`; throws with a counterexample if one misbehaves. */
export async function fuzzLive(port: number, runs: number, largestFile: number, seed?: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      hostileBytes(['known.bin', 'new.bin', '../x', ''], 1500),
      fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 40 }),
      async (bytes, pieces) => {
        const reply = await exchange(port, bytes, pieces);
        if (reply.length > replyLimit(largestFile)) throw new Error(`server sent ${reply.length} bytes`);
      },
    ),
    { numRuns: runs, seed },
  );
}

if (require.main === module) {
  void (async () => {
    const args = await yargs(hideBin(process.argv))
      .scriptName('npm run fuzz --')
      .option('port', { type: 'number', demandOption: true, describe: 'A wirestate server on 127.0.0.1 to fuzz' })
      .option('runs', { type: 'number', default: 2000, describe: 'Generated exchanges' })
      .option('largest-file', {
        type: 'number',
        default: 1024 * 1024,
        describe: 'Largest file in the server root, for the reply bound',
      })
      .option('seed', { type: 'number', describe: 'Repeat a run' })
      .strict()
      .help()
      .parseAsync();
    const started = performance.now();
    await fuzzLive(args.port, args.runs, args['largest-file'], args.seed);
    console.log(`${args.runs} exchanges in ${((performance.now() - started) / 1000).toFixed(1)} s: no misbehaviour`);
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}

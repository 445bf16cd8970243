/** `wirestate proxy`: the seed's stammering proxy, for testing framing under any fragmentation. */
import type { Argv } from 'yargs';
import { examples } from './help-examples';
import type { CommandBody } from './command-body';
import { startProxy, type RunningProxy } from '../proxy/stammer-proxy';
import { withLogOptions, withRecordOption, valuesRequired } from './common-options';
import { loggerFrom } from './logger-from';
import { parseHostPort } from './host-port';
import { listenPortArgument } from './server-port-argument';
import { cannotListen, cannotListenFields, cannotListenExit } from './cannot-listen';
import { PROXY_PORT, TRANSFER_PORT } from '../../machines/transfer/ports';

const builder = (yargs: Argv) =>
  withRecordOption(withLogOptions(yargs, 'stdout', 'every fragment'))
    .option('listen-port', {
      alias: 'l',
      ...listenPortArgument('listen-port', '--listen-port', 'TCP port to listen on'),
      default: PROXY_PORT,
    })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to bind' })
    .option('server', {
      alias: 's',
      type: 'string',
      default: `127.0.0.1:${TRANSFER_PORT}`,
      describe: 'Server to relay to, as host:port',
    })
    .option('max-fragment', {
      type: 'number',
      default: 1024,
      describe: 'Largest fragment, in bytes (each is 1 to this)',
    })
    .option('max-delay-ms', {
      type: 'number',
      default: 2,
      describe: 'Longest wait before a fragment, in ms (each is 0 to this)',
    })
    .option('seed', {
      type: 'number',
      describe: 'Seed for fragment sizes and delays; the same seed repeats a run',
      defaultDescription: 'random, logged',
    })
    .option('corrupt-after', {
      type: 'number',
      describe:
        'Flip one byte per connection and direction: the one after the first N (XOR with 1..255 from --seed), ' +
        'to test an integrity check',
      defaultDescription: 'off',
    })
    .option('corrupt-direction', {
      choices: ['up', 'down', 'both'] as const,
      default: 'both' as const,
      describe: 'Which way --corrupt-after flips: up (client to server), down, or both',
    })
    .check((args) => {
      parseHostPort(args.server);
      if (!Number.isInteger(args['max-fragment']) || args['max-fragment'] < 1)
        throw new Error('--max-fragment must be a whole number >= 1');
      if (!(args['max-delay-ms'] >= 0)) throw new Error('--max-delay-ms must be >= 0');
      if (args.seed !== undefined && !Number.isInteger(args.seed)) throw new Error('--seed must be a whole number');
      const after = args['corrupt-after'];
      if (after !== undefined && !(Number.isInteger(after) && after >= 0))
        throw new Error('--corrupt-after must be a whole number >= 0');
      return true;
    })
    .epilog(
      examples(
        ['$0 proxy -l 50000 -s 127.0.0.1:50001', 'as the seed: stammerProxy.py -l 50000 -s 127.0.0.1:50001'],
        ['$0 proxy --max-fragment 1 --max-delay-ms 0', 'one byte at a time, as fast as possible'],
        ['$0 proxy --corrupt-after 1000', 'byte 1000 (from 0) changed each way, once per connection'],
      ),
    );

async function handler(args: Awaited<ReturnType<typeof builder>['argv']>): Promise<void> {
  const log = loggerFrom(args);
  let proxy: RunningProxy | undefined;
  const stop = () => void (proxy ? proxy.close() : Promise.resolve()).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  proxy = await startProxy({
    host: args.host,
    port: args['listen-port'],
    upstream: parseHostPort(args.server),
    maxFragment: args['max-fragment'],
    maxDelayMs: args['max-delay-ms'],
    seed: args.seed ?? Math.floor(Math.random() * 2 ** 31),
    log,
    recordDir: args.record,
    corrupt:
      args['corrupt-after'] === undefined
        ? undefined
        : { after: args['corrupt-after'], direction: args['corrupt-direction'] },
  }).catch((error: unknown) => {
    const where = ['proxy', args.host, args['listen-port'], 'tcp', error] as const;
    log.error(cannotListen(...where), cannotListenFields(...where));
    return process.exit(cannotListenExit(error));
  });
}

/** `wirestate proxy`. */
export const proxyBody: CommandBody = { builder: valuesRequired(builder), handler };

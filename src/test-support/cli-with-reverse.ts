/** `wirestate` with the test protocol registered by the one line a new protocol adds to the list. */
import { hideBin } from 'yargs/helpers';
import { PROTOCOLS } from '../../machines/protocols';
import { runCli } from '../cli/cli';
import { reverseProtocol } from './protocols/reverse';

void runCli([...PROTOCOLS, reverseProtocol], hideBin(process.argv));

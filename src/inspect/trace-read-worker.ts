/**
 * Reads one uploaded trace in a worker thread (trace-upload.ts), so that a big one does not hold up the loop every
 * protocol and the inspector run on: its bytes come in `workerData`, its reply goes back as the one message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTraceSupport } from '../../machines/protocols';
import { traceReply } from './trace-reply';

void loadTraceSupport().then((protocols) => parentPort?.postMessage(traceReply(workerData as Uint8Array, protocols)));

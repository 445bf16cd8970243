/**
 * A recorded session a protocol keeps as a fixture: `npm run fixtures`
 * (scripts/record-fixtures.ts) plays each scenario of each descriptor in
 * PROTOCOLS against a real server on loopback, serving a temporary folder, and
 * keeps the traces under fixtures/traces/<folder>/<name>.server|client.jsonl;
 * the protocol's fixtures.test.ts replays them.
 */
import type { AnyActorRef } from 'xstate';
import type { ConnectionSpec, SessionOutcome, StreamProtocol } from '../src/engine/protocol';
import type { SharedFolder } from '../src/storage/file-store';

export interface FixtureScenario {
  /** The fixture's file names: `<name>.server.jsonl` and, when the client is traced, `<name>.client.jsonl`. */
  name: string;
  /** The folder under fixtures/traces/ when it is not the protocol's name (a variant with trace support of its own). */
  folder?: string;
  /** Default `tcp`. */
  transport?: 'tcp' | 'udp';
  /** The served folder's files before the run, by path (a path ending in `/` is an empty folder), each dated FILE_TIME. */
  files?: Record<string, string | Buffer>;
  /** The client's folder's files before the run (`FixturePeer.local`). */
  local?: Record<string, string | Buffer>;
  /** The server under test, serving the folder (`files`). */
  server(files: SharedFolder): StreamProtocol;
  /** Between client and server, the stammer proxy cuts the stream into pieces of 1 to 7 bytes (seeded). */
  viaProxy?: boolean;
  /** The client's side of the session. */
  run(peer: FixturePeer): Promise<unknown>;
  /** How many connections (or UDP peers) the server sees in the run (default 1). */
  connections?: number;
  /** Which of them the server's fixture is, counting from 1 in the order they opened (default 1). */
  serverTrace?: number;
}

/** What a scenario's client side can do. */
export interface FixturePeer {
  /** The client's own folder. */
  local: string;
  /**
   * Runs `spec` as a client connected to the server and keeps its trace, unless `traced` is false (a client
   * whose steps come from outside the wire, such as a prompt, cannot be replayed); resolves with its outcome.
   */
  client(
    spec: ConnectionSpec,
    options?: { traced?: boolean; watch?: (actor: AnyActorRef) => void },
  ): Promise<SessionOutcome>;
  /** A TCP connection that is no client machine, having sent `bytes`: a peer that misbehaves. */
  connect(...bytes: Buffer[]): Promise<RawConnection>;
  /** The same sending `bytes` then FIN, reading until the server closes. */
  send(bytes: string | Buffer): Promise<void>;
  /** One UDP socket sending each chunk as a datagram, a moment apart. */
  datagrams(...chunks: Buffer[]): Promise<void>;
}

export interface RawConnection {
  /** Settles once `count` bytes have come from the server since the connection opened. */
  received(count: number): Promise<void>;
  write(bytes: Buffer): void;
  /** Sends `bytes` then FIN, reads whatever comes, and settles once the server has closed too. */
  end(bytes?: Buffer): Promise<void>;
  /** Settles once the server has closed, this side still open. */
  closed(): Promise<void>;
  /** Closes at once with FIN. */
  destroy(): void;
  /** Closes at once with RST. */
  reset(): void;
}

/** Every file a scenario starts with (served or local) is dated this instant, so the times a protocol sends recur. */
export const FILE_TIME = new Date('2026-01-01T00:00:00Z');

/** 3000 printable ASCII bytes, cycling through all 95: a file whose every byte shows in a trace. */
export const SAMPLE_FILE = Buffer.from(Array.from({ length: 3000 }, (_, index) => 32 + (index % 95)));

/** The served folder of the seeds' file protocols' scenarios: a file, an empty one, a folder with a file and an empty folder. */
export const SAMPLE_FOLDER = {
  'speech.txt': SAMPLE_FILE,
  'empty.txt': '',
  'docs/a.txt': SAMPLE_FILE,
  'docs/inner/': '',
};

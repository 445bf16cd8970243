/**
 * A protocol as wirestate runs it: each folder under machines/ exports one
 * descriptor from its index.ts, and machines/protocols.ts lists them all, each
 * loaded only when a command needs it.
 * The CLI, `serve-all`, replay, the inspector and the fixture recorder derive
 * from that list, so adding a protocol is one folder and one line.
 */
import type { SharedFolder } from '../src/storage/file-store';
import type { TraceSupport } from '../src/trace/trace-support';
import type { ExitCodes } from '../src/engine/exit-codes';
import type { ConnectionSpec, StreamProtocol } from '../src/engine/protocol';
import type { FixtureScenario } from './fixture-scenario';

/** What every server started together shares: one idle timeout, one quiet period for text requests. */
export interface ServingTimes {
  idleTimeoutMs: number;
  quietMs: number;
}

/** What a server that serves a folder gets besides: the one folder all of them share. */
export interface ServingWorld extends ServingTimes {
  files: SharedFolder;
  /** The most bytes an upload stores (`--max-size`). */
  maxUploadSize: number;
  /** How long an interrupted upload is kept for its client to resume (`--resume-keep`; 0: no resume). */
  resumeKeepSeconds: number;
}

/**
 * One of a protocol's servers on its default port. Built once per serving
 * world; servers of one protocol started in the same world may share state (the
 * queue). Only a server marked `servesFolder` gets the folder, and the folder is
 * made only when one of the servers started serves it.
 */
export type DefaultServer = { transport: 'tcp' | 'udp'; port: number } & (
  | { servesFolder: true; protocol(world: ServingWorld): StreamProtocol }
  | { servesFolder?: false; protocol(world: ServingTimes): StreamProtocol }
);

export interface ProtocolDescriptor {
  /** `wirestate NAME server|client`, its npm scripts and its fixtures folder. */
  name: string;
  /** Its servers with their default ports and transports, as `serve-all` and a generic `server` command start them. */
  servers: DefaultServer[];
  /** Replay, fixture and chart support for each machine pair it records, by the name in a trace header. */
  traces: Record<string, TraceSupport>;
  /** The process exit code of a client run, by outcome (any other outcome: interrupted). */
  exitCodes?: ExitCodes;
  /** The sessions `npm run fixtures` records for the fixture tests, one per path of its machines. */
  fixtures: FixtureScenario[];
  /** A client that sends lines and takes the whole reply (the generic `client` command runs it). */
  lineClient?: (lines: string[], idleTimeoutMs: number) => ConnectionSpec;
}

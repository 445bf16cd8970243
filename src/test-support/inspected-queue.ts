/** A queue server for the inspector's tests: on loopback, TCP, with `--inspect`. */
import { startCliServer, type ServerProcess } from './processes';

/** Starts one with its inspector on `inspectorPort` (0: one the OS picks); the server and the inspector's port. */
export async function startInspectedQueueServer(
  inspectorPort = 0,
): Promise<{ server: ServerProcess; inspectorPort: number }> {
  const loopback = ['--host', '127.0.0.1'];
  const server = await startCliServer(['queue', 'server', '0', 'TCP', ...loopback, `--inspect=${inspectorPort}`]);
  await server.logged(/inspector on http:\/\/\S+/);
  return { server, inspectorPort: Number(/inspector on http:\/\/127\.0\.0\.1:(\d+)/.exec(server.output())![1]) };
}

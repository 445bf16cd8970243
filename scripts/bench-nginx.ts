/**
 * nginx as a peer for `npm run bench`: one process (no master, one worker) serving `root` on a
 * free loopback port, GET for downloads and WebDAV PUT for uploads, with its own config, logs and
 * temporary folder under `folder`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServerOnPort, type Server } from './bench-kit';
import { freePort } from '../src/test-support/processes';

export async function startNginx(
  name: string,
  root: string,
  folder: string,
  sendfile: boolean,
  timeoutSeconds: number,
): Promise<Server> {
  const port = await freePort();
  await mkdir(join(folder, 'body'), { recursive: true });
  await writeFile(
    join(folder, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      'worker_processes 1;',
      `error_log ${folder}/error.log warn;`,
      `pid ${folder}/nginx.pid;`,
      'events { worker_connections 1024; }',
      'http {',
      `  access_log off; sendfile ${sendfile ? 'on' : 'off'}; tcp_nopush on; client_max_body_size 0; client_body_temp_path ${folder}/body;`,
      `  server { listen 127.0.0.1:${port}; root ${root}; dav_methods PUT; }`,
      '}',
    ].join('\n'),
  );
  return startServerOnPort(name, 'nginx', ['-c', join(folder, 'nginx.conf'), '-p', folder], port, timeoutSeconds);
}

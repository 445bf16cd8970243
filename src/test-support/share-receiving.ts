/** Waits (bounded: 400 tries, 25 ms apart) until a share server's folder holds a file with bytes in it. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const receiving = async (shared: string) =>
  (await Promise.all((await readdir(shared)).map(async (name) => (await stat(join(shared, name))).size))).some(
    (size) => size > 0,
  );

export async function untilReceiving(shared: string): Promise<void> {
  for (let tries = 0; tries < 400 && !(await receiving(shared)); tries++) await delay(25);
}

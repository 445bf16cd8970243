/** The free-space check on a real folder: answers from one statfs stand for small files only. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableBytes, roomIn } from './free-space';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wirestate-free-space-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('admits small files on one answer, and still refuses one far larger than the room right after them', () => {
  const room = availableBytes(dir);
  const fits = roomIn(dir);
  for (let file = 0; file < 100; file++) expect(fits(4096)).toBe(true);
  // Twice the room, not one byte over it: tests running beside this one free space on the same disk.
  expect(fits(room * 2)).toBe(false);
  expect(fits(4096)).toBe(true);
});

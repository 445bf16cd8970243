import { FLOOR_BYTES, RoomPromises } from './room-promises';

it('promises room once: another upload gets what is left, less what the first has yet to write', () => {
  const room = new RoomPromises();
  expect(room.admit('a', 600, 1000)).toBe(true);
  expect(room.admit('b', 600, 1000)).toBe(false);
  expect(room.admit('b', 400, 1000)).toBe(true);
  expect(room.admit('c', 1, 1000)).toBe(false);
});

it("counts what an upload wrote as the disk's: only its unwritten rest stays promised", () => {
  const room = new RoomPromises();
  let written = 0;
  room.admit('a', 600, 1000);
  room.writing('a', () => written);
  written = 500;
  // The disk now shows 500 fewer bytes free; `a` still needs 100 of them.
  expect(room.admit('b', 400, 500)).toBe(true);
  expect(room.admit('c', 1, 500)).toBe(false);
});

it('forgets a promise once its upload is over, and asks afresh for one that asks again', () => {
  const room = new RoomPromises();
  room.admit('a', 900, 1000);
  expect(room.admit('a', 1000, 1000)).toBe(true);
  room.forget('a');
  expect(room.admit('b', 1000, 1000)).toBe(true);
});

describe('an upload is owed no more than its pace writes within the horizon, and at least the floor', () => {
  const GiB = 1024 ** 3;
  let clock = 0;
  let written = 0;
  const startTrickle = () => {
    clock = 0;
    written = 0;
    const room = new RoomPromises(() => clock);
    expect(room.admit('slow', 100 * GiB, 100 * GiB)).toBe(true);
    room.writing('slow', () => written);
    return room;
  };

  it('one that announced the whole disk and trickles holds the floor, not the disk', () => {
    const room = startTrickle();
    // At its start it has shown no pace: the floor is all it holds.
    expect(room.admit('small', 3, 100 * GiB)).toBe(true);
    expect(room.admit('big', 100 * GiB - FLOOR_BYTES + 1, 100 * GiB)).toBe(false);
    clock = 30_000;
    written = 60 * 1024; // 2 KiB/s
    expect(room.admit('other', 99 * GiB, 100 * GiB - written)).toBe(true);
  });

  it('one that keeps a fast pace holds what it has yet to write, up to what that pace writes within the horizon', () => {
    const room = startTrickle();
    clock = 10_000;
    written = 10 * GiB; // 1 GiB/s: 60 GiB within the horizon, of the 90 it has yet to write
    expect(room.admit('other', 31 * GiB, 90 * GiB)).toBe(false);
    expect(room.admit('other', 29 * GiB, 90 * GiB)).toBe(true);
  });
});

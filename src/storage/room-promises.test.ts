import { RoomPromises } from './room-promises';

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

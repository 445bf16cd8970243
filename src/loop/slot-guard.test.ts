/** The request deadline and the minimum rate, on a fake socket's byte counts, the bytes its peer took, and jest's fake clock. */
import type { Socket } from 'node:net';
import { guardSlot, type SlotGuard } from './slot-guard';

const LIMITS = { requestTimeoutMs: 10_000, minRate: 1024, rateWindowMs: 30_000, idleTimeoutMs: 30_000 };

let socket: { bytesRead: number };
/** Bytes sent that the peer has acknowledged, as the last look found. */
let taken: number;
/** What a fresh look (lookNow) finds the peer took since the last one. */
let takenSinceLastLook: number;
let cuts: string[];
let guard: SlotGuard;

beforeEach(() => {
  jest.useFakeTimers();
  socket = { bytesRead: 0 };
  taken = 0;
  takenSinceLastLook = 0;
  cuts = [];
  guard = guardSlot(
    socket as unknown as Socket,
    LIMITS,
    {
      acknowledged: () => taken,
      lookNow: () => {
        taken += takenSinceLastLook;
        takenSinceLastLook = 0;
        return Promise.resolve();
      },
    },
    (code) => cuts.push(code),
  );
});
afterEach(() => {
  guard.stop();
  jest.useRealTimers();
});

describe('the request deadline', () => {
  it('cuts a request not announced within the deadline from the connection, however often bytes came', () => {
    for (let second = 0; second < 9; second++) {
      guard.received(false);
      jest.advanceTimersByTime(1000);
    }
    expect(cuts).toEqual([]);
    jest.advanceTimersByTime(1000);
    expect(cuts).toEqual(['request_timeout']);
  });

  it('is met by the announce; the next request has its own, from its first byte', () => {
    jest.advanceTimersByTime(9_000);
    guard.requested();
    jest.advanceTimersByTime(60_000); // waiting between requests is the idle timeout's business
    expect(cuts).toEqual([]);
    guard.received(false);
    jest.advanceTimersByTime(9_999);
    expect(cuts).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(cuts).toEqual(['request_timeout']);
  });

  it('does not run in a bulk phase, nor start from bytes that arrive in one', () => {
    guard.bulk(true);
    socket.bytesRead = 1_000_000;
    guard.received(true);
    jest.advanceTimersByTime(20_000);
    expect(cuts).toEqual([]);
  });
});

describe('the minimum rate', () => {
  it('cuts a bulk phase that moved less than --min-rate over a window, counting only bytes the peer took', async () => {
    guard.bulk(true);
    socket.bytesRead = 20 * 1024; // 20 KiB in 30 s: under 1 KiB/s (what was sent and not acknowledged does not count)
    await jest.advanceTimersByTimeAsync(30_000);
    expect(cuts).toEqual(['too_slow']);
  });

  it('looks again before it cuts: what the peer took since the last look counts', async () => {
    guard.bulk(true);
    socket.bytesRead = 20 * 1024;
    takenSinceLastLook = 20 * 1024; // 40 KiB in 30 s: over 1 KiB/s
    await jest.advanceTimersByTimeAsync(30_000);
    expect(cuts).toEqual([]);
  });

  it('lets a phase that keeps the rate go on, window after window, and stops watching once it ends', () => {
    guard.bulk(true);
    for (let window = 1; window <= 3; window++) {
      taken += 31 * 1024; // acknowledged as it goes, however seldom the socket took more
      jest.advanceTimersByTime(30_000);
    }
    expect(cuts).toEqual([]);
    guard.bulk(false);
    jest.advanceTimersByTime(90_000);
    expect(cuts).toEqual([]);
  });
});

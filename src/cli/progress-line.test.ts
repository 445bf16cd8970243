/**
 * The client's progress bar without a terminal: the line itself at every width, and the figures a resumed
 * transfer draws. The real client on a real terminal: progress.test.ts.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Progress, progressLine } from './progress';

const MiB = 1024 * 1024;

describe('progressLine', () => {
  it('never reaches the last column, at any width, size known or not', () => {
    for (let columns = 1; columns <= 200; columns++) {
      for (const total of [undefined, 16 * MiB]) {
        expect(progressLine({ bytes: 5 * MiB, total, rate: 3 * MiB, columns }).length).toBeLessThan(
          Math.max(columns, 2),
        );
      }
    }
  });

  it('keeps one layout per width while the figures change: same length, bar and fields in the same columns', () => {
    const layout = (line: string) =>
      [line.length, line.indexOf('['), line.indexOf(']'), line.indexOf('ETA'), line.indexOf('/s')].join();
    const rates = [0, 1, 999, 1023.6, 2 * MiB, 1023.96 * 1024, 700 * MiB, 1 / 3600 / 200];
    for (let columns = 1; columns <= 200; columns++) {
      for (const total of [undefined, 1000, 16 * MiB, 5000 * MiB]) {
        const end = total ?? 20 * MiB;
        const layouts = new Set<string>();
        for (const bytes of [0, 1, 999, 1024, Math.floor(end / 3), end - 1, end]) {
          for (const rate of rates) layouts.add(layout(progressLine({ bytes, total, rate, columns })));
        }
        expect([columns, total, [...layouts]]).toEqual([columns, total, [...layouts].slice(0, 1)]);
      }
    }
  });

  it('shows a known size with a bar, percent, bytes, current rate and ETA when wide', () => {
    expect(progressLine({ bytes: 4 * MiB, total: 16 * MiB, rate: 2 * MiB, columns: 100 })).toMatch(
      /^ 25% \[#+-+\] {4}4\.00 MiB \/ 16\.0 MiB {4}2\.00 MiB\/s {2}ETA 6s {4}$/,
    );
  });

  it.each([
    // The bar shrinks, then goes; numbers are written short where that keeps the bytes and the ETA.
    [200, /^ 25% \[#{35}-{106}\] {4}4\.00 MiB \/ 16\.0 MiB {4}2\.00 MiB\/s {2}ETA 6s {4}$/],
    [80, /^ 25% \[#{5}-{16}\] {4}4\.00 MiB \/ 16\.0 MiB {4}2\.00 MiB\/s {2}ETA 6s {4}$/],
    [50, /^ 25% {3}4\.0M \/ 16M {3}2\.0M\/s {2}ETA 6s {4}$/],
    [30, /^ 25% {3}4\.0M \/ 16M {3}2\.0M\/s$/],
    [20, /^ 25% {4}2\.00 MiB\/s$/],
  ])(
    'keeps percent and the current rate at %i columns, dropping the bar, then the ETA, then the bytes',
    (columns, line) => {
      expect(progressLine({ bytes: 4 * MiB, total: 16 * MiB, rate: 2 * MiB, columns })).toMatch(line);
    },
  );

  it.each([
    [200, /^ {2}5\.00 MiB {2}\(size not known yet\) {4}3\.00 MiB\/s$/],
    [80, /^ {2}5\.00 MiB {2}\(size not known yet\) {4}3\.00 MiB\/s$/],
    [30, /^ {2}5\.00 MiB {4}3\.00 MiB\/s$/],
    [20, /^ 5\.0M {3}3\.0M\/s$/],
  ])('shows the bytes so far and the current rate before the size is known, at %i columns', (columns, line) => {
    expect(progressLine({ bytes: 5 * MiB, total: undefined, rate: 3 * MiB, columns })).toMatch(line);
  });

  it('shows the percent or the bytes so far and the current rate at every width from 20 columns', () => {
    for (let columns = 20; columns <= 200; columns++) {
      expect(progressLine({ bytes: 5 * MiB, total: 50 * MiB, rate: 3 * MiB, columns })).toMatch(/^ 10% .*\b3\.0/);
      expect(progressLine({ bytes: 5 * MiB, total: undefined, rate: 3 * MiB, columns })).toMatch(/^ *5\.0.*\b3\.0/);
    }
  });

  it('keeps percent first when narrower still', () => {
    expect(progressLine({ bytes: 4 * MiB, total: 16 * MiB, rate: 2 * MiB, columns: 17 })).toBe(' 25%   2.0M/s');
    expect(progressLine({ bytes: 4 * MiB, total: 16 * MiB, rate: 0, columns: 10 })).toBe(' 25%');
  });

  it("says what it waits for once every byte is through, instead of a rate and 'ETA 0s', at every width", () => {
    const awaiting = "waiting for the server's confirmation";
    const line = (columns: number) => progressLine({ bytes: MiB, total: MiB, rate: 0, columns, awaiting });
    expect(line(50)).toBe(`100%  ${awaiting}`);
    expect(line(100)).toBe(`100% [${'#'.repeat(28)}]    1.00 MiB / 1.00 MiB  ${awaiting}`);
    for (let columns = 1; columns <= 200; columns++) {
      expect(line(columns).length).toBeLessThan(Math.max(columns, 2));
      expect(line(columns)).not.toMatch(/ETA|\/s/);
    }
    // Before the last byte, the rate and ETA as ever.
    expect(progressLine({ bytes: MiB - 1, total: MiB, rate: 1, columns: 100, awaiting })).toMatch(/B\/s {2}ETA /);
  });

  it('says an unknown size is unknown: no percent, no bar, no "0 B / 0 B"', () => {
    const line = progressLine({ bytes: 0, total: undefined, rate: 0, columns: 120 });
    expect(line).toBe('       0 B  (size not known yet)         0 B/s');
  });
});

describe('Progress', () => {
  /** What a terminal 120 columns wide would be sent: the figures only, no real terminal needed for them. */
  const terminal = () => {
    const written: string[] = [];
    const out = { isTTY: true, columns: 120, write: (text: string) => written.push(text) > 0 };
    return { out: out as unknown as NodeJS.WriteStream, written };
  };

  it('counts the bytes a resumed transfer kept in its figures, never in its rate', async () => {
    const { out, written } = terminal();
    const progress = new Progress(out, false);
    progress.update(0, 100 * MiB);
    progress.resumedAt(50 * MiB);
    await delay(300);
    progress.update(50 * MiB + 100 * 1024, 100 * MiB);
    // 100 KiB in 0.3 s or more: some hundreds of KiB/s at most, not the 50 MiB kept over that time.
    const last = written.at(-1)!;
    expect(last).toMatch(/ 50% .* 50\.1 MiB \/ 100\.0 MiB +\d+(\.\d+)? KiB\/s /);
    progress.clear();
  });
});

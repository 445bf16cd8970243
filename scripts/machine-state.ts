/**
 * What the machine was doing while `npm run bench` ran, printed beside its figures: the load average, the
 * share of CPU time the hypervisor gave to other guests (steal, from /proc/stat; Linux only), and how
 * long a fixed piece of work takes (SHA-256 of 32 MiB) at the start and at the end. On a shared virtual
 * machine the same build's figures can move by half from one hour to the next: these say when they did.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const PROBE_BYTES = 32 * 1024 * 1024;

/** The CPU time counters of /proc/stat's first line: all of them, and steal; undefined off Linux. */
function cpuTicks(): { total: number; steal: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.reduce((sum, value) => sum + value, 0), steal: fields[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** Milliseconds this process takes to hash PROBE_BYTES: the machine's speed at this moment. */
function probeMs(): number {
  const block = Buffer.alloc(1024 * 1024, 7);
  const started = performance.now();
  const hash = createHash('sha256');
  for (let done = 0; done < PROBE_BYTES; done += block.length) hash.update(block);
  hash.digest();
  return performance.now() - started;
}

const loads = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

/** Takes the machine's state now; `end()` says it again, with the steal over the time between. */
export function machineState(): { start: string; end: () => string } {
  const ticks = cpuTicks();
  const start = `load average ${loads()}; SHA-256 of 32 MiB in ${probeMs().toFixed(0)} ms`;
  return {
    start,
    end: () => {
      const now = cpuTicks();
      const steal =
        ticks && now && now.total > ticks.total
          ? `; steal ${((100 * (now.steal - ticks.steal)) / (now.total - ticks.total)).toFixed(1)}% of CPU time`
          : '';
      return `load average ${loads()}; SHA-256 of 32 MiB in ${probeMs().toFixed(0)} ms${steal}`;
    },
  };
}

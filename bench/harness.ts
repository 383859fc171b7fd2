// Benchmark rows: each module's bench file exports a function returning rows; bench/index.ts runs them
// all in one process (ratios measured in one run are what we compare, on noisy machines) and prints one table.
import { readFileSync } from 'node:fs';

export interface BenchRow {
  /** Area: segment, motion, export, diffusion... */
  group: string;
  /** What was measured, with its conditions ("render per frame, 1024x768, 2 regions"). */
  name: string;
  value: number;
  unit: 'ms' | 's' | 'MB' | 'fps' | 'x' | '%' | 'B' | 'dB';
  /** Target, when the issue sets one ("< 3 s"). */
  target?: string;
  note?: string;
}

export type BenchSuite = () => Promise<BenchRow[]>;

/** Median of `runs` timed calls (after `warmup` untimed ones), in milliseconds. */
export async function timeMedian(
  fn: () => Promise<unknown> | unknown,
  runs = 5,
  warmup = 1,
): Promise<number> {
  return (await timeMedianCpu(fn, runs, warmup)).ms;
}

/**
 * The median wall time as timeMedian, and the mean CPU time of the process per timed call (worker threads
 * included, child processes such as ffmpeg not): on a machine shared with other work the CPU time says
 * what the wall time would be with the cores to itself.
 */
export async function timeMedianCpu(
  fn: () => Promise<unknown> | unknown,
  runs = 5,
  warmup = 1,
): Promise<{ ms: number; cpuMs: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? 0, cpuMs: (used.user + used.system) / 1000 / runs };
}

/** "CPU 1.23 s" for a row's note. */
export const cpuNote = (cpuMs: number): string =>
  cpuMs >= 1000 ? `CPU ${(cpuMs / 1000).toFixed(2)} s` : `CPU ${cpuMs.toFixed(0)} ms`;

/**
 * CPU time of this process's finished child processes (ffmpeg), in ms, from /proc/self/stat; null where
 * there is no /proc. Read before and after a run: the difference is what its children used.
 */
export function childCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime, fields 16 and 17 of stat(5), counted from the state (field 3); in clock ticks.
    return (Number(fields[13]) + Number(fields[14])) * (1000 / CLOCK_TICKS);
  } catch {
    return null;
  }
}

/** USER_HZ: the unit of /proc times on every Linux Node runs on. */
const CLOCK_TICKS = 100;

// Benchmark rows: each module's bench file exports a function returning rows; bench/index.ts runs them
// all in one process (ratios measured in one run are what we compare, on noisy machines) and prints one table.
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
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

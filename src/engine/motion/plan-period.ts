// How often a plan's clip repeats itself. A looping sky that drifts through two cross-fade cycles in 3 s
// shows frames 36-71 as frames 0-35 again; an export that knows it renders and encodes half the frames
// and repeats the encoded half by stream copy (export/encode.ts), the same file in a fraction of the time
// (issue 13.1: the storm's sky and field at strength 1.5 are two cycles each).
import type { FramePlan, RegionPlan } from './plan.js';
import type { RegionClock } from './timing.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Whole cycles over a span, when `cycles` is (within rounding) a whole number; null otherwise. */
function wholeCycles(cycles: number): number | null {
  const whole = Math.round(cycles);
  return whole >= 1 && Math.abs(cycles - whole) < 1e-9 ? whole : null;
}

/**
 * Frames after which one region's motion repeats: a divisor of frameCount. A region that loops over the
 * whole clip through n whole cycles of a span of N frames repeats every N / gcd(N, n) frames. Everything
 * else (a window shorter than the clip, ping-pong, a travel, a pose per frame) is taken not to repeat.
 */
function regionPeriod(region: RegionPlan, frameCount: number): number {
  if (region.kind !== 'fluid' && region.kind !== 'warp') return frameCount;
  const clock: RegionClock = region.clock;
  // A loop's span is its window: the whole clip when it starts at 0 and ends at the last frame.
  if (clock.mode !== 'loop' || clock.start !== 0 || clock.end !== frameCount) return frameCount;
  const cycles = wholeCycles(region.kind === 'fluid' ? clock.span / region.cycle : region.cycles);
  if (cycles === null) return frameCount;
  return frameCount / gcd(frameCount, cycles);
}

/**
 * The smallest number of frames p (dividing frameCount) after which the whole clip repeats: frame i + p
 * shows what frame i shows (to within the last bit of the motion's arithmetic). frameCount when it does
 * not repeat within the clip.
 */
export function planPeriod(plan: FramePlan): number {
  const n = plan.frameCount;
  if (n < 2) return n;
  let period = 1;
  for (const region of plan.regions) {
    const own = regionPeriod(region, n);
    period = (period / gcd(period, own)) * own;
    if (period >= n) return n;
  }
  return period;
}

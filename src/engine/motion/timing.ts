// A region's clock: which frames it moves in, and where in its motion each frame is.
// The motion runs over a span of motion time; loops are built so that the motion is back at rest at the
// end of the span, so frame N (the frame after the last) equals frame 0 and the clip loops without a jump
// (issue 3, point 4). Ping-pong plays the span forwards over the first half of the window and backwards
// over the second, so it loops too. Outside [start, end) the region holds still.
import type { LoopMode } from '../../shared/index.js';

export interface RegionClock {
  /** First frame of the window, inclusive. */
  start: number;
  /** Last frame of the window, exclusive. */
  end: number;
  mode: LoopMode;
  /** Length of the motion in frames: the window, or half of it in ping-pong. */
  span: number;
}

export function regionClock(
  timing: { frameCount: number; fps: number; loop: LoopMode },
  startSeconds: number,
  endSeconds: number | null,
): RegionClock {
  const start = Math.min(timing.frameCount, Math.max(0, Math.round(startSeconds * timing.fps)));
  const end =
    endSeconds === null
      ? timing.frameCount
      : Math.min(timing.frameCount, Math.max(start, Math.round(endSeconds * timing.fps)));
  const window = end - start;
  return { start, end, mode: timing.loop, span: timing.loop === 'pingpong' ? window / 2 : window };
}

/** Motion time of a frame, in frames from the start of the motion (0 = at rest, as in the photo). */
export function motionTime(clock: RegionClock, frame: number): number {
  if (frame <= clock.start) return 0;
  if (frame >= clock.end) return clock.mode === 'pingpong' ? 0 : clock.span;
  const elapsed = frame - clock.start;
  if (clock.mode === 'pingpong') return elapsed <= clock.span ? elapsed : 2 * clock.span - elapsed;
  return elapsed;
}

/** Does the region move at all? */
export function moves(clock: RegionClock): boolean {
  return clock.span >= 1;
}

/** Frame pairs (t, t+1) over which strength is averaged: consecutive frames inside the window. */
export function strengthPairs(clock: RegionClock, frameCount: number): number[] {
  const pairs: number[] = [];
  for (let t = clock.start; t + 1 <= Math.min(clock.end, frameCount - 1); t++) pairs.push(t);
  return pairs;
}

/** Whole cycles of about `periodFrames` that fit the span (at least one). */
export function cyclesFor(span: number, periodFrames: number): number {
  return Math.max(1, Math.round(span / Math.max(1e-6, periodFrames)));
}

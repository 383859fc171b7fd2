// The order frames go into the file: the clip, or ping-pong (forward, then backward without repeating the
// end frames, so it loops without a stutter), repeated `repeats` times for formats that cannot store a loop
// count. Frames are rendered on demand in this order, never held, so memory does not grow with length.
import type { Animation } from '../render/types.js';
import type { RgbaImage } from '../image/types.js';

export interface FramePlan {
  frameCount: number;
  pingPong: boolean;
  repeats: number;
}

/** Frames in one cycle: n, or 2n - 2 going there and back (0 1 2 3 2 1 | 0 ...). */
export function cycleLength(plan: FramePlan): number {
  const n = plan.frameCount;
  return plan.pingPong && n > 2 ? 2 * n - 2 : n;
}

export function totalFrames(plan: FramePlan): number {
  return cycleLength(plan) * plan.repeats;
}

/** The source frame index of every frame in the file, in order. */
export function frameIndices(plan: FramePlan): number[] {
  const n = plan.frameCount;
  const cycle = Array.from({ length: n }, (_, i) => i);
  if (plan.pingPong && n > 2) for (let i = n - 2; i >= 1; i--) cycle.push(i);
  return Array.from({ length: plan.repeats }, () => cycle).flat();
}

/**
 * The animation's frames in plan order. Forward runs use `frames()` (which may render ahead in
 * parallel); the backward half of a ping-pong asks for each frame by index.
 */
export async function* planFrames(
  animation: Animation,
  plan: FramePlan,
  signal: AbortSignal,
): AsyncGenerator<RgbaImage> {
  const n = plan.frameCount;
  for (let repeat = 0; repeat < plan.repeats; repeat++) {
    // The plan may cover only the clip's first frames (one period of a clip that repeats itself).
    for await (const { image } of animation.frames({ signal, to: n })) yield image;
    if (plan.pingPong && n > 2) {
      for (let i = n - 2; i >= 1; i--) yield await animation.renderFrame(i, signal);
    }
  }
}

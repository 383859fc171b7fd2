// The pack's F generated frames on the clip's timeline. The clip has round(seconds x fps) frames whatever
// the loop mode; each region moves within its own window [start, end) and holds still outside it. A
// position is a fractional generated-frame index; frames between two generated ones are blended.
// - once: the F frames stretched over the window, the last shown at the window's last frame;
// - loop: the F frames over the window, then back to frame 0 (the photo): the wrap is blended like any
//   other pair, so the seam is one crossfade;
// - pingpong: forward through the F frames and back, ending where it began.
import type { LoopMode } from '../../shared/index.js';

export interface ClipTiming {
  seconds: number;
  fps: number;
  loop: LoopMode;
}

export interface RegionWindow {
  start: number;
  end: number | null;
}

function windowOf(timing: ClipTiming, window: RegionWindow): { start: number; length: number } {
  const start = Math.max(0, window.start);
  const end = Math.min(timing.seconds, window.end ?? timing.seconds);
  return { start, length: Math.max(0, end - start) };
}

/** The fractional generated-frame position shown at clip frame `index`. */
export function positionAt(index: number, timing: ClipTiming, window: RegionWindow, frames: number): number {
  const { start, length } = windowOf(timing, window);
  if (length <= 0 || frames < 2) return 0;
  const t = index / timing.fps - start;
  if (t <= 0) return 0;
  switch (timing.loop) {
    case 'once': {
      const span = Math.max(1 / timing.fps, length - 1 / timing.fps);
      return Math.min(1, t / span) * (frames - 1);
    }
    case 'loop': {
      const u = Math.min(1, t / length);
      return (u % 1) * frames;
    }
    case 'pingpong': {
      const u = Math.min(1, t / length);
      const s = (u % 1) * 2 * (frames - 1);
      return s <= frames - 1 ? s : 2 * (frames - 1) - s;
    }
  }
}

/** The two generated frames around a position and the weight of the second (a loop wraps F-1 -> 0). */
export function framePair(
  position: number,
  frames: number,
  loop: LoopMode,
): { a: number; b: number; weight: number } {
  const a = Math.floor(position);
  const weight = position - a;
  if (loop === 'loop') return { a: a % frames, b: (a + 1) % frames, weight };
  const clamped = Math.min(a, frames - 1);
  return { a: clamped, b: Math.min(clamped + 1, frames - 1), weight: clamped === frames - 1 ? 0 : weight };
}

/** The time (seconds) at which each generated frame is first shown, for pose keyframes. */
export function generatedFrameTimes(timing: ClipTiming, window: RegionWindow, frames: number): number[] {
  const { start, length } = windowOf(timing, window);
  return Array.from({ length: frames }, (_, k) => {
    switch (timing.loop) {
      case 'once':
        return start + (k / Math.max(1, frames - 1)) * Math.max(1 / timing.fps, length - 1 / timing.fps);
      case 'loop':
        return start + (k / frames) * length;
      case 'pingpong':
        return start + (k / Math.max(1, 2 * (frames - 1))) * length;
    }
  });
}

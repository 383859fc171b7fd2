// Which frame plays next. While a render is still streaming, playback loops over the frames that have
// arrived, so motion shows at once; once every frame is there it follows the clip's loop mode.
import type { LoopMode } from '@shared/index.js';

export interface PlayheadStep {
  frame: number;
  /** +1 forward, -1 backward (ping-pong's way back). */
  direction: 1 | -1;
  /** "Once" reached its last frame: playback stops there. */
  ended: boolean;
}

export function nextFrame(
  frame: number,
  direction: 1 | -1,
  frameCount: number,
  ready: number,
  mode: LoopMode,
): PlayheadStep {
  if (ready <= 0 || frameCount <= 1) return { frame: 0, direction: 1, ended: false };
  if (ready < frameCount) {
    const next = frame + 1;
    return { frame: next < ready ? next : 0, direction: 1, ended: false };
  }
  switch (mode) {
    case 'loop':
      return { frame: (frame + 1) % frameCount, direction: 1, ended: false };
    case 'once':
      return frame + 1 >= frameCount
        ? { frame: frameCount - 1, direction: 1, ended: true }
        : { frame: frame + 1, direction: 1, ended: false };
    case 'pingpong': {
      const next = frame + direction;
      if (next >= frameCount) return { frame: frameCount - 2, direction: -1, ended: false };
      if (next < 0) return { frame: 1, direction: 1, ended: false };
      return { frame: next, direction, ended: false };
    }
  }
}

/** Frame index at a time (seconds), clamped to the clip. */
export function frameAtTime(time: number, fps: number, frameCount: number): number {
  return Math.min(frameCount - 1, Math.max(0, Math.round(time * fps)));
}

/** The long side of preview frames: the size the photo is shown at when fitted, in device pixels, in steps of
 * 128 px (so a small resize does not start a new render), never more than the photo itself nor 2048 px. */
export function previewLongSide(shownLongSide: number, photoLongSide: number, devicePixelRatio = 1): number {
  const wanted = Math.ceil((shownLongSide * devicePixelRatio) / 128) * 128;
  return Math.max(128, Math.min(wanted, photoLongSide, 2048));
}

/** Decoded preview frames kept in memory at most (RGBA): a 10 s clip at 60 fps must not exhaust the tab. */
export const PREVIEW_MEMORY_BYTES = 1024 ** 3;

/**
 * The long side at which `frameCount` RGBA frames of a width x height photo fit in the memory budget, in
 * steps of 64 px, never more than `longSide`.
 */
export function memoryCappedLongSide(
  longSide: number,
  frameCount: number,
  width: number,
  height: number,
  budgetBytes = PREVIEW_MEMORY_BYTES,
): number {
  const aspect = Math.min(width, height) / Math.max(width, height);
  const fits = Math.sqrt(budgetBytes / (4 * Math.max(1, frameCount) * aspect));
  return Math.max(64, Math.min(longSide, Math.floor(fits / 64) * 64));
}

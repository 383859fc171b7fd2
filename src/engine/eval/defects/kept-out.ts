// Kept out (issue 10, point 5): a click beside a person or a thing must leave them out of its region. The
// classic segmenter's sea behind a surfer took him and his board, and its flow carried him off and faded
// him back in as two translucent surfers, while every other metric passed: spill reads beyond the mask,
// which held him, and the mask's IoU lost only his few per cent of the sea. Here the thing is drawn by
// hand, and its structure (edges, texture) must not move: the share of it that differs from the photo
// in some frame, clear of a band at its outline, where the region's fade may reach by design.
import type { GreyImage } from '../../flow/index.js';
import { MOVED, STRUCTURE } from './spill.js';
import { signedDistance } from './texture.js';

/** The thing's rim, this share of the long side wide, may move with what flows beside it. */
const RIM = 0.01;

/**
 * Structure pixels inside `thing` (1 inside, at the frames' size) deeper than the rim that moved in some
 * frame, over all such pixels; null when it has none (a flat thing, or one thinner than its rim).
 */
export function keptOutMoved(
  frames: readonly GreyImage[],
  photo: GreyImage,
  thing: Uint8Array,
): number | null {
  const { width, height } = photo;
  const rim = RIM * Math.max(width, height);
  const distance = signedDistance(thing, width, height);
  const watched: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (distance[i]! > -rim) continue;
      const gx = photo.data[i + 1]! - photo.data[i - 1]!;
      const gy = photo.data[i + width]! - photo.data[i - width]!;
      if (Math.hypot(gx, gy) >= STRUCTURE) watched.push(i);
    }
  }
  if (watched.length === 0) return null;
  let moved = 0;
  for (const i of watched) {
    if (frames.some((frame) => Math.abs(frame.data[i]! - photo.data[i]!) > MOVED)) moved++;
  }
  return moved / watched.length;
}

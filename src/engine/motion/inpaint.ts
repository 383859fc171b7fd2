// Fills the background behind a moving layer, so that where the region moves away the photo shows a
// plausible background instead of a hole or a smear (issue 3, point 2). An onion-peel fill in the spirit
// of Telea ("An Image Inpainting Technique Based on the Fast Marching Method", J. Graphics Tools 2004):
// pixels are filled from the hole's edge inwards, in order of distance from the known pixels, each from
// the known and already-filled pixels around it weighted by closeness. Our own, rather than OpenCV's
// cv.inpaint, so the first preview does not wait for OpenCV's 10 MB WebAssembly runtime to load, and so
// workers need nothing but typed arrays.
import { distanceTransform } from './distance.js';

/** What each pixel is to the fill. */
export const KNOWN = 0;
export const FILL = 1;
/** Neither a source nor filled (the inside of a region deeper than it ever moves: never seen). */
export const IGNORE = 2;

const RADIUS = 3;

/** Fills the FILL pixels of an RGBA image in place. */
export function inpaint(rgba: Uint8Array, width: number, height: number, state: Uint8Array): void {
  const distance = distanceTransform(width, height, (i) => state[i] === KNOWN);
  const order: number[] = [];
  for (let i = 0; i < state.length; i++) if (state[i] === FILL && distance[i]! < 1e9) order.push(i);
  // Nearest first; ties by index, so the result is the same everywhere.
  order.sort((a, b) => distance[a]! - distance[b]! || a - b);
  const done = new Uint8Array(state.length);
  for (let i = 0; i < state.length; i++) done[i] = state[i] === KNOWN ? 1 : 0;
  const weights: number[] = [];
  for (let dy = -RADIUS; dy <= RADIUS; dy++) {
    for (let dx = -RADIUS; dx <= RADIUS; dx++) {
      const d2 = dx * dx + dy * dy;
      weights.push(d2 === 0 || d2 > RADIUS * RADIUS + 1 ? 0 : 1 / d2);
    }
  }
  for (const index of order) {
    const x = index % width;
    const y = (index - x) / width;
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    let total = 0;
    let k = 0;
    for (let dy = -RADIUS; dy <= RADIUS; dy++) {
      const yy = y + dy;
      for (let dx = -RADIUS; dx <= RADIUS; dx++, k++) {
        const xx = x + dx;
        if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
        const j = yy * width + xx;
        const w = weights[k]!;
        if (w === 0 || !done[j]) continue;
        r += rgba[j * 4]! * w;
        g += rgba[j * 4 + 1]! * w;
        b += rgba[j * 4 + 2]! * w;
        a += rgba[j * 4 + 3]! * w;
        total += w;
      }
    }
    if (total === 0) continue;
    rgba[index * 4] = Math.round(r / total);
    rgba[index * 4 + 1] = Math.round(g / total);
    rgba[index * 4 + 2] = Math.round(b / total);
    rgba[index * 4 + 3] = Math.round(a / total);
    done[index] = 1;
  }
}

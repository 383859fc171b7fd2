// Edge seams (issue 10, points 3 and 7): motion must fade to zero across a soft band at a region's
// edge; where it stops abruptly, structures crossing the edge tear or kink. Measured as the gradient
// energy of each frame's change from the photo in a thin band on the edge (a tear makes the change jump
// there, a smooth fade leaves it near zero), against the photo's own gradient energy in that band, in
// tiles along the edge (a tear is local).
import type { GreyImage } from '../../flow/index.js';
import { signedDistance } from './texture.js';

export interface EdgeSeam {
  /**
   * The largest, over tiles along the edge, of the mean over frames of the change's gradient energy in
   * the band over the photo's: near 0 for a smooth fade, about 1 or more for a tear.
   */
  ratio: number;
  /** Centre of that tile, in pixels. */
  at: { x: number; y: number };
}

const TILE = 16;
/** Grey levels^2 added to the photo's energy so a tear in a flat area is not divided by nothing. */
const FLOOR = 4;

/** `inside`: the region's mask at the frames' size. null when it has no edge inside the frame. */
export function edgeSeam(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
): EdgeSeam | null {
  const { width, height } = photo;
  const distance = signedDistance(inside, width, height);
  const tilesX = Math.ceil(width / TILE);
  const tilesY = Math.ceil(height / TILE);
  // Per tile: the pixels on the edge (|d| <= 1.5), off the frame border.
  const band: number[][] = Array.from({ length: tilesX * tilesY }, () => []);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (Math.abs(distance[i]!) <= 1.5) band[Math.floor(y / TILE) * tilesX + Math.floor(x / TILE)]!.push(i);
    }
  }
  const tiles = band.map((_, t) => t).filter((t) => band[t]!.length >= 12);
  if (tiles.length === 0) return null;
  let best: EdgeSeam = { ratio: 0, at: { x: 0, y: 0 } };
  for (const t of tiles) {
    const pixels = band[t]!;
    const own = energy(pixels, width, (i) => photo.data[i]!) + FLOOR;
    let sum = 0;
    for (const frame of frames) sum += energy(pixels, width, (i) => frame.data[i]! - photo.data[i]!);
    const ratio = sum / frames.length / own;
    if (ratio > best.ratio) {
      best = {
        ratio,
        at: { x: (t % tilesX) * TILE + TILE / 2, y: Math.floor(t / tilesX) * TILE + TILE / 2 },
      };
    }
  }
  return best;
}

/** Mean squared central-difference gradient of `value` over the pixels (none on the frame border). */
function energy(pixels: readonly number[], width: number, value: (i: number) => number): number {
  let sum = 0;
  for (const i of pixels) {
    const gx = (value(i + 1) - value(i - 1)) / 2;
    const gy = (value(i + width) - value(i - width)) / 2;
    sum += gx * gx + gy * gy;
  }
  return sum / pixels.length;
}

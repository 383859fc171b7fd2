// Reflections and doubled lines inside a fluid region's own edge. Seen on cold-water.jpg: the sea
// flowing at the edge of a bather kept out of it folded its ripples over themselves a few pixels inside
// the edge, a zipper of mirrored streaks along her outline, while the edge seam read 0.02 (the fold lies
// inside the band the seam compares). Seen then on storm.jpg: the clouds' region took the land band at
// the horizon, and the drift showed its treeline doubled in the sky above it. The photo-edge test of
// edge-mirror.ts, run on lines that start at the region's edge and go straight in (along the gradient of
// the distance to the edge): a line counts as mirrored in a frame when it reads symmetric about some
// point where the photo's same line does not.
import type { GreyImage } from '../../flow/index.js';
import { bilinearAt } from '../../flow/filters.js';
import { bestAxis, KEPT, meanStep, MIRRORED, NATURAL, TEXTURED, type Line } from './edge-mirror.js';
import { signedDistance } from './texture.js';

export interface InnerMirror {
  /** The largest share, over frames, of the judged lines into the region that read as a reflection. */
  share: number;
  /** The frame it was read on. */
  frame: number;
  /** Where most mirrored lines start in that frame (the mean of their edge points), to look at. */
  at: { x: number; y: number } | null;
}

/** How far in each line runs, as a share of the longer side (and at least LENGTH_LEAST px). */
const LENGTH_SHARE = 0.05;
const LENGTH_LEAST = 16;
/** Every STRIDE-th edge pixel starts a line. */
const STRIDE = 3;
/** Lines start this far from the photo's edge at least (edge-mirror.ts reads the photo's edge). */
const PHOTO_EDGE = 4;
/** Fewest judged lines a region needs. */
const FEWEST = 12;

/** `inside`: the region's mask at the frames' size (1 inside). */
export function innerMirror(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
): InnerMirror | null {
  const { width, height } = photo;
  const length = Math.max(LENGTH_LEAST, Math.round(LENGTH_SHARE * Math.max(width, height)));
  const distance = signedDistance(inside, width, height);
  const depth = (x: number, y: number) => {
    const px = Math.min(width - 1, Math.max(0, Math.round(x)));
    const py = Math.min(height - 1, Math.max(0, Math.round(y)));
    return -distance[py * width + px]!;
  };
  interface Start {
    x: number;
    y: number;
    nx: number;
    ny: number;
    change: number;
  }
  const starts: Start[] = [];
  let seen = 0;
  for (let y = PHOTO_EDGE; y < height - PHOTO_EDGE; y++) {
    for (let x = PHOTO_EDGE; x < width - PHOTO_EDGE; x++) {
      const i = y * width + x;
      // The region's edge pixels: inside, next to an outside pixel.
      if (!inside[i] || (inside[i - 1] && inside[i + 1] && inside[i - width] && inside[i + width])) continue;
      if (seen++ % STRIDE !== 0) continue;
      let nx = depth(x + 2, y) - depth(x - 2, y);
      let ny = depth(x, y + 2) - depth(x, y - 2);
      const norm = Math.hypot(nx, ny);
      if (norm === 0) continue;
      nx /= norm;
      ny /= norm;
      // The whole line must lie in the region, clear of the photo's edge, and deepen as it goes (not
      // cross a narrow region to its other side).
      const ex = x + nx * (length - 1);
      const ey = y + ny * (length - 1);
      if (ex < PHOTO_EDGE || ey < PHOTO_EDGE || ex > width - 1 - PHOTO_EDGE || ey > height - 1 - PHOTO_EDGE)
        continue;
      if (depth(ex, ey) < 0.7 * (length - 1)) continue;
      const line: Line = (at) => bilinearAt(photo.data, width, height, x + nx * at, y + ny * at);
      const change = meanStep(line, length);
      if (change >= TEXTURED && bestAxis(line, length) >= NATURAL) starts.push({ x, y, nx, ny, change });
    }
  }
  if (starts.length < FEWEST) return null;
  let best: InnerMirror | null = null;
  frames.forEach((frame, index) => {
    let mirrored = 0;
    let sx = 0;
    let sy = 0;
    for (const { x, y, nx, ny, change } of starts) {
      const line: Line = (at) => bilinearAt(frame.data, width, height, x + nx * at, y + ny * at);
      if (meanStep(line, length) >= KEPT * change && bestAxis(line, length) < MIRRORED) {
        mirrored++;
        sx += x;
        sy += y;
      }
    }
    const share = mirrored / starts.length;
    if (!best || share > best.share)
      best = { share, frame: index, at: mirrored > 0 ? { x: sx / mirrored, y: sy / mirrored } : null };
  });
  return best;
}

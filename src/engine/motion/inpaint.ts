// Fills the background behind a moving layer, so that where the region moves away the photo shows a
// plausible background instead of a hole or a smear (issue 3, point 2). Push-pull interpolation
// (Gortler et al., "The Lumigraph", SIGGRAPH 1996): the known pixels are averaged down a pyramid until
// every cell has some, then the holes are filled from coarser levels on the way back up. Holes take a
// smooth blend of the colours around them, without the streaks an onion-peel fill draws across a large
// hole. Our own, rather than OpenCV's cv.inpaint, so the first preview does not wait for OpenCV's 10 MB
// WebAssembly runtime to load, and so the result is the same on every machine.

/** What each pixel is to the fill. */
export const KNOWN = 0;
export const FILL = 1;
/** Neither a source nor filled (the inside of a region deeper than it ever moves: never seen). */
export const IGNORE = 2;

interface Level {
  width: number;
  height: number;
  /** RGBA, premultiplied by weight until normalised. */
  color: Float32Array;
  weight: Float32Array;
}

function pushDown(level: Level): Level {
  const width = Math.max(1, Math.ceil(level.width / 2));
  const height = Math.max(1, Math.ceil(level.height / 2));
  const color = new Float32Array(width * height * 4);
  const weight = new Float32Array(width * height);
  for (let y = 0; y < level.height; y++) {
    for (let x = 0; x < level.width; x++) {
      const i = y * level.width + x;
      const w = level.weight[i]!;
      if (w === 0) continue;
      const o = (y >> 1) * width + (x >> 1);
      weight[o]! += w;
      for (let c = 0; c < 4; c++) color[o * 4 + c]! += level.color[i * 4 + c]! * w;
    }
  }
  for (let o = 0; o < weight.length; o++) {
    const w = weight[o]!;
    if (w === 0) continue;
    for (let c = 0; c < 4; c++) color[o * 4 + c]! /= w;
    weight[o] = Math.min(1, w);
  }
  return { width, height, color, weight };
}

/** Fills the FILL pixels of an RGBA image in place from the KNOWN ones. */
export function inpaint(rgba: Uint8Array, width: number, height: number, state: Uint8Array): void {
  const base: Level = {
    width,
    height,
    color: Float32Array.from(rgba),
    weight: Float32Array.from(state, (s) => (s === KNOWN ? 1 : 0)),
  };
  const levels = [base];
  let top = base;
  while ((top.width > 1 || top.height > 1) && top.weight.some((w) => w < 1)) {
    top = pushDown(top);
    levels.push(top);
  }
  // Pull: each level's gaps take the (bilinear) colour of the level above.
  for (let k = levels.length - 2; k >= 0; k--) {
    const fine = levels[k]!;
    const coarse = levels[k + 1]!;
    for (let y = 0; y < fine.height; y++) {
      const cy = Math.min(coarse.height - 1, Math.max(0, (y - 0.5) / 2));
      const y0 = Math.floor(cy);
      const y1 = Math.min(coarse.height - 1, y0 + 1);
      const fy = cy - y0;
      for (let x = 0; x < fine.width; x++) {
        const i = y * fine.width + x;
        const w = fine.weight[i]!;
        if (w >= 1) continue;
        const cx = Math.min(coarse.width - 1, Math.max(0, (x - 0.5) / 2));
        const x0 = Math.floor(cx);
        const x1 = Math.min(coarse.width - 1, x0 + 1);
        const fx = cx - x0;
        for (let c = 0; c < 4; c++) {
          const up =
            (coarse.color[(y0 * coarse.width + x0) * 4 + c]! * (1 - fx) +
              coarse.color[(y0 * coarse.width + x1) * 4 + c]! * fx) *
              (1 - fy) +
            (coarse.color[(y1 * coarse.width + x0) * 4 + c]! * (1 - fx) +
              coarse.color[(y1 * coarse.width + x1) * 4 + c]! * fx) *
              fy;
          fine.color[i * 4 + c] = w * fine.color[i * 4 + c]! + (1 - w) * up;
        }
        fine.weight[i] = 1;
      }
    }
  }
  for (let i = 0; i < state.length; i++) {
    if (state[i] !== FILL) continue;
    for (let c = 0; c < 4; c++) rgba[i * 4 + c] = Math.round(base.color[i * 4 + c]!);
  }
}

// Binary mask operations on one-byte-per-pixel masks (0 outside, non-zero inside): the pieces that touch
// given points, and hole filling. 4-connectivity for the object, so diagonal touches do not join pieces.

export interface PixelPoint {
  x: number;
  y: number;
}

/** The index of the pixel nearest a point, clamped to the image. */
export function pixelIndex(p: PixelPoint, width: number, height: number): number {
  const x = Math.min(width - 1, Math.max(0, Math.round(p.x)));
  const y = Math.min(height - 1, Math.max(0, Math.round(p.y)));
  return y * width + x;
}

/**
 * Floods from `starts` through pixels where `inside(value)` holds; returns 1 where reached.
 * Iterative with a preallocated queue, so large masks do not overflow the stack.
 */
function flood(
  mask: Uint8Array,
  width: number,
  starts: Iterable<number>,
  inside: (value: number) => boolean,
): Uint8Array {
  const reached = new Uint8Array(mask.length);
  const queue = new Int32Array(mask.length);
  let head = 0;
  let tail = 0;
  for (const start of starts) {
    if (!reached[start] && inside(mask[start]!)) {
      reached[start] = 1;
      queue[tail++] = start;
    }
  }
  while (head < tail) {
    const p = queue[head++]!;
    const x = p % width;
    const neighbours = [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width];
    for (const q of neighbours) {
      if (q < 0 || q >= mask.length || reached[q] || !inside(mask[q]!)) continue;
      reached[q] = 1;
      queue[tail++] = q;
    }
  }
  return reached;
}

/** Keeps the pieces of the mask that contain one of `points`; 255 inside, 0 outside. */
export function keepPiecesAt(
  mask: Uint8Array,
  width: number,
  height: number,
  points: PixelPoint[],
): Uint8Array {
  const reached = flood(
    mask,
    width,
    points.map((p) => pixelIndex(p, width, height)),
    (v) => v > 0,
  );
  for (let i = 0; i < reached.length; i++) reached[i] = reached[i] ? 255 : 0;
  return reached;
}

/**
 * Fills the holes of the mask: background pieces that do not reach the image border. A hole that holds
 * one of `keepOpen` (a negative click) was made on purpose and stays open.
 */
export function fillHoles(
  mask: Uint8Array,
  width: number,
  height: number,
  keepOpen: PixelPoint[],
): Uint8Array {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(x, (height - 1) * width + x);
  for (let y = 0; y < height; y++) border.push(y * width, y * width + width - 1);
  for (const p of keepOpen) border.push(pixelIndex(p, width, height));
  const outside = flood(mask, width, border, (v) => v === 0);
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = outside[i] ? 0 : 255;
  return out;
}

/** True when the mask is set at the point. */
export function maskHas(mask: Uint8Array, width: number, height: number, p: PixelPoint): boolean {
  return mask[pixelIndex(p, width, height)]! > 0;
}

/** Removes pieces smaller than `minArea` pixels unless they hold one of `keep` (slivers left by a cut). */
export function dropSpecks(
  mask: Uint8Array,
  width: number,
  height: number,
  minArea: number,
  keep: PixelPoint[],
): Uint8Array {
  const out = mask.slice();
  const seen = new Uint8Array(mask.length);
  const queue = new Int32Array(mask.length);
  const kept = new Set(keep.map((p) => pixelIndex(p, width, height)));
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    // One piece, flooded into queue[0..tail).
    let head = 0;
    let tail = 0;
    let holdsKept = false;
    seen[start] = 1;
    queue[tail++] = start;
    while (head < tail) {
      const p = queue[head++]!;
      if (kept.has(p)) holdsKept = true;
      const x = p % width;
      const neighbours = [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width];
      for (const q of neighbours) {
        if (q < 0 || q >= mask.length || seen[q] || !mask[q]) continue;
        seen[q] = 1;
        queue[tail++] = q;
      }
    }
    if (!holdsKept && tail < minArea) for (let i = 0; i < tail; i++) out[queue[i]!] = 0;
  }
  return out;
}

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
 * Floods from `starts` through the set pixels (or, with `clear`, the unset ones); returns 1 where reached.
 * Iterative with a preallocated queue, so large masks do not overflow the stack; the four neighbours are
 * visited inline, without a list or a callback a pixel (a click floods the 1024-px guide several times).
 */
function flood(mask: Uint8Array, width: number, starts: Iterable<number>, clear: boolean): Uint8Array {
  const reached = new Uint8Array(mask.length);
  const queue = new Int32Array(mask.length);
  const length = mask.length;
  // Marks the pixels a flood may not enter as reached, so the loop tests one array.
  for (let i = 0; i < length; i++) if (mask[i]! > 0 === clear) reached[i] = 1;
  let tail = 0;
  for (const start of starts) {
    if (!reached[start]) {
      reached[start] = 2;
      queue[tail++] = start;
    }
  }
  let head = 0;
  while (head < tail) {
    const p = queue[head++]!;
    const x = p % width;
    if (x > 0 && !reached[p - 1]) {
      reached[p - 1] = 2;
      queue[tail++] = p - 1;
    }
    if (x < width - 1 && !reached[p + 1]) {
      reached[p + 1] = 2;
      queue[tail++] = p + 1;
    }
    if (p >= width && !reached[p - width]) {
      reached[p - width] = 2;
      queue[tail++] = p - width;
    }
    if (p + width < length && !reached[p + width]) {
      reached[p + width] = 2;
      queue[tail++] = p + width;
    }
  }
  for (let i = 0; i < length; i++) reached[i] = reached[i] === 2 ? 1 : 0;
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
    false,
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
  const outside = flood(mask, width, border, true);
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
  let tail = 0;
  const visit = (q: number) => {
    if (seen[q] || !mask[q]) return;
    seen[q] = 1;
    queue[tail++] = q;
  };
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    // One piece, flooded into queue[0..tail).
    let head = 0;
    tail = 0;
    let holdsKept = false;
    seen[start] = 1;
    queue[tail++] = start;
    while (head < tail) {
      const p = queue[head++]!;
      if (kept.has(p)) holdsKept = true;
      const x = p % width;
      if (x > 0) visit(p - 1);
      if (x < width - 1) visit(p + 1);
      if (p >= width) visit(p - width);
      if (p + width < mask.length) visit(p + width);
    }
    if (!holdsKept && tail < minArea) for (let i = 0; i < tail; i++) out[queue[i]!] = 0;
  }
  return out;
}

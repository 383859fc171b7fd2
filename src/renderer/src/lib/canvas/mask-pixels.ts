// Pixel work on region masks, kept free of the DOM so it can be tested: bounds, hit tests, the coloured
// overlay a region is shown with (a translucent fill and an opaque outline), and brush stamps.
import type { Mask } from '@shared/index.js';
import type { Rect } from '../preview/affected.js';

/** A mask counts as "inside" from half strength up (soft edges are anti-aliasing). */
export const INSIDE = 128;

export function maskBounds(mask: Mask): Rect | null {
  const { width, height, data } = mask;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if ((data[row + x] ?? 0) >= INSIDE) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

export function maskCentroid(mask: Mask): { x: number; y: number } | null {
  const { width, height, data } = mask;
  let sx = 0;
  let sy = 0;
  let n = 0;
  // Every 2nd pixel each way is plenty for a centre to put an arrow on.
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      if ((data[y * width + x] ?? 0) >= INSIDE) {
        sx += x;
        sy += y;
        n++;
      }
    }
  }
  return n === 0 ? null : { x: sx / n, y: sy / n };
}

export function maskContains(mask: Mask, x: number, y: number): boolean {
  const px = Math.floor(x);
  const py = Math.floor(y);
  if (px < 0 || py < 0 || px >= mask.width || py >= mask.height) return false;
  return (mask.data[py * mask.width + px] ?? 0) >= INSIDE;
}

export function maskArea(mask: Mask): number {
  let n = 0;
  for (const v of mask.data) if (v >= INSIDE) n++;
  return n;
}

/** The overlay's size: the mask's, scaled down so its long side is at most `maxSide` (memory, speed). */
export function overlaySize(mask: Mask, maxSide: number): { width: number; height: number; scale: number } {
  const scale = Math.min(1, maxSide / Math.max(mask.width, mask.height));
  return {
    width: Math.max(1, Math.round(mask.width * scale)),
    height: Math.max(1, Math.round(mask.height * scale)),
    scale,
  };
}

/**
 * RGBA pixels of a region's overlay at the given size: the region's colour at `fillAlpha` inside, fully
 * opaque on the outline (inside pixels within `outline` pixels of the outside), transparent elsewhere.
 */
export function overlayPixels(
  mask: Mask,
  rgb: readonly [number, number, number],
  width: number,
  height: number,
  fillAlpha = 96,
  outline = 2,
): Uint8ClampedArray {
  const inside = new Uint8Array(width * height);
  const sx = mask.width / width;
  const sy = mask.height / height;
  for (let y = 0; y < height; y++) {
    const my = Math.min(mask.height - 1, Math.floor((y + 0.5) * sy));
    for (let x = 0; x < width; x++) {
      const mx = Math.min(mask.width - 1, Math.floor((x + 0.5) * sx));
      inside[y * width + x] = (mask.data[my * mask.width + mx] ?? 0) >= INSIDE ? 1 : 0;
    }
  }
  const out = new Uint8ClampedArray(width * height * 4);
  const [r, g, b] = rgb;
  const isOut = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height || !inside[y * width + x];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!inside[i]) continue;
      let edge = false;
      for (let d = 1; d <= outline && !edge; d++) {
        edge = isOut(x - d, y) || isOut(x + d, y) || isOut(x, y - d) || isOut(x, y + d);
      }
      out[i * 4] = r;
      out[i * 4 + 1] = g;
      out[i * 4 + 2] = b;
      out[i * 4 + 3] = edge ? 255 : fillAlpha;
    }
  }
  return out;
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Paints (value 255) or erases (value 0) a round stamp into mask bytes, in place. */
export function stampDisc(mask: Mask, cx: number, cy: number, radius: number, value: 0 | 255): void {
  const r2 = radius * radius;
  const x0 = Math.max(0, Math.floor(cx - radius));
  const x1 = Math.min(mask.width - 1, Math.ceil(cx + radius));
  const y0 = Math.max(0, Math.floor(cy - radius));
  const y1 = Math.min(mask.height - 1, Math.ceil(cy + radius));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r2) mask.data[y * mask.width + x] = value;
    }
  }
}

/** Stamps along a segment, close enough together to leave no gaps (a quarter of the radius apart). */
export function stampLine(
  mask: Mask,
  from: { x: number; y: number },
  to: { x: number; y: number },
  radius: number,
  value: 0 | 255,
): void {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const steps = Math.max(1, Math.ceil(length / Math.max(0.5, radius / 4)));
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    stampDisc(mask, from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t, radius, value);
  }
}

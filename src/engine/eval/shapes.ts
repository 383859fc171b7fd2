// Region shapes for eval scenes, drawn as masks at any photo size: ellipses and polygons given as
// fractions of the photo's width and height, or the whole photo. Eval defines its regions in code so
// its numbers do not depend on the segmenter.
import type { Mask } from '../../shared/index.js';

export type SceneShape =
  | { kind: 'whole' }
  /** Centre and radii as fractions of the photo's width (x, rx) and height (y, ry). */
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
  /** Corners as [x, y] fractions of the photo's width and height. */
  | { kind: 'polygon'; points: readonly (readonly [number, number])[] };

export function rasterize(shape: SceneShape, width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  if (shape.kind === 'whole') {
    data.fill(255);
  } else if (shape.kind === 'ellipse') {
    const cx = shape.cx * width;
    const cy = shape.cy * height;
    const rx = shape.rx * width;
    const ry = shape.ry * height;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const u = (x + 0.5 - cx) / rx;
        const v = (y + 0.5 - cy) / ry;
        if (u * u + v * v <= 1) data[y * width + x] = 255;
      }
    }
  } else {
    // Even-odd scanline fill at pixel centres.
    const points = shape.points.map(([x, y]) => [x * width, y * height] as const);
    for (let y = 0; y < height; y++) {
      const py = y + 0.5;
      const crossings: number[] = [];
      for (let i = 0; i < points.length; i++) {
        const [ax, ay] = points[i]!;
        const [bx, by] = points[(i + 1) % points.length]!;
        if (ay <= py !== by <= py) crossings.push(ax + ((py - ay) * (bx - ax)) / (by - ay));
      }
      crossings.sort((a, b) => a - b);
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        const from = Math.max(0, Math.ceil(crossings[k]! - 0.5));
        const to = Math.min(width - 1, Math.floor(crossings[k + 1]! - 0.5));
        for (let x = from; x <= to; x++) data[y * width + x] = 255;
      }
    }
  }
  return { width, height, data };
}

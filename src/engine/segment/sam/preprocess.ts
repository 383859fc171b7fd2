// Segment Anything's image preprocessing and prompt geometry (MODEL-PACKS.md, "Segmenter"; the official
// repository's ResizeLongestSide and SamOnnxModel): the photo resized so its longest side is 1024 (with
// Pillow's bilinear filter, as ResizeLongestSide does),
// normalised with the pixel mean and std on the 0-255 scale, zero-padded bottom and right to 1024x1024, NCHW.
import type { Box, Click } from '../../../shared/index.js';
import type { RgbaImage } from '../../image/types.js';
import { resizeBilinearLikePillow } from './resize.js';

export interface ResizedFrame {
  /** The photo's size. */
  width: number;
  height: number;
  /** Its size in the 1024 frame (before padding). */
  resizedWidth: number;
  resizedHeight: number;
}

/** The size of the photo with its longest side at `side` (SAM rounds with int(x + 0.5)). */
export function resizedFrame(width: number, height: number, side: number): ResizedFrame {
  const scale = side / Math.max(width, height);
  return {
    width,
    height,
    resizedWidth: Math.floor(width * scale + 0.5),
    resizedHeight: Math.floor(height * scale + 0.5),
  };
}

/** The encoder's input [1, 3, side, side]. */
export async function encoderInput(
  photo: RgbaImage,
  side: number,
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
): Promise<{ tensor: Float32Array; frame: ResizedFrame }> {
  const frame = resizedFrame(photo.width, photo.height, side);
  // The reference predictor's own resize (resize.ts), so the encoder sees the pixels it would.
  const data = resizeBilinearLikePillow(photo, frame.resizedWidth, frame.resizedHeight);
  const plane = side * side;
  const tensor = new Float32Array(3 * plane); // zeros: the padding
  for (let y = 0; y < frame.resizedHeight; y++) {
    for (let x = 0; x < frame.resizedWidth; x++) {
      const src = (y * frame.resizedWidth + x) * 3;
      const dst = y * side + x;
      for (let c = 0; c < 3; c++) tensor[c * plane + dst] = (data[src + c]! - mean[c]!) / std[c]!;
    }
  }
  return { tensor, frame };
}

/** SAM's point labels. */
export const LABEL = { negative: 0, positive: 1, boxTopLeft: 2, boxBottomRight: 3, padding: -1 } as const;

/**
 * The decoder's `point_coords` [1, N, 2] and `point_labels` [1, N]: clicks (and a box as two corners)
 * mapped into the resized frame (x * newW / W, y * newH / H); with no box, one padding point (0, 0)
 * labelled -1, as the official ONNX example does.
 */
export function promptPoints(
  clicks: readonly Click[],
  box: Box | null,
  frame: ResizedFrame,
): { coords: Float32Array; labels: Float32Array; count: number } {
  const sx = frame.resizedWidth / frame.width;
  const sy = frame.resizedHeight / frame.height;
  const points: [number, number, number][] = clicks.map((c) => [
    c.x * sx,
    c.y * sy,
    c.positive ? LABEL.positive : LABEL.negative,
  ]);
  if (box) {
    points.push([Math.min(box.x0, box.x1) * sx, Math.min(box.y0, box.y1) * sy, LABEL.boxTopLeft]);
    points.push([Math.max(box.x0, box.x1) * sx, Math.max(box.y0, box.y1) * sy, LABEL.boxBottomRight]);
  } else {
    points.push([0, 0, LABEL.padding]);
  }
  const coords = new Float32Array(points.length * 2);
  const labels = new Float32Array(points.length);
  points.forEach(([x, y, label], i) => {
    coords[i * 2] = x;
    coords[i * 2 + 1] = y;
    labels[i] = label;
  });
  return { coords, labels, count: points.length };
}

// The resize Segment Anything's own predictor feeds its encoder: ResizeLongestSide.apply_image resizes a
// PIL image with bilinear filtering (torchvision on a PIL image calls Image.resize), so the pixels Stir
// gives the encoder must be Pillow's, byte for byte; another kernel (sharp's cubic) moves every mask
// edge a little. Pillow's separable resampling (Resample.c): per output pixel, triangle-filter weights
// over a support that widens when shrinking (antialiasing), normalised, turned into 22-bit fixed point,
// a horizontal pass then a vertical pass, each rounded and clipped to 0-255. Checked against the
// reference predictor in tests/unit/reference (issue 11).
import type { RgbaImage } from '../../image/types.js';

const PRECISION_BITS = 32 - 8 - 2;
const HALF = 1 << (PRECISION_BITS - 1);
const ONE = 1 << PRECISION_BITS;

interface Coefficients {
  /** Per output pixel: the first input pixel and the number of taps. */
  bounds: Int32Array;
  /** Per output pixel, `size` fixed-point weights. */
  weights: Int32Array;
  size: number;
}

/** Pillow's precompute_coeffs with the bilinear (triangle) filter, then normalize_coeffs_8bpc. */
function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(1, scale);
  const support = filterScale; // the triangle filter's support is 1
  const size = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * size);
  const k = new Float64Array(size);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      const t = Math.abs((x + xmin - center + 0.5) / filterScale);
      k[x] = t < 1 ? 1 - t : 0;
      total += k[x]!;
    }
    for (let x = 0; x < size; x++) {
      const w = x < xmax && total !== 0 ? k[x]! / total : 0;
      weights[xx * size + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { bounds, weights, size };
}

function clip8(sum: number): number {
  if (sum <= 0) return 0;
  if (sum >= ONE * 256) return 255;
  return sum >> PRECISION_BITS;
}

/**
 * The photo's red, green and blue resized to `width` x `height` exactly as Pillow's
 * Image.resize(..., BILINEAR) does: interleaved RGB bytes.
 */
export function resizeBilinearLikePillow(photo: RgbaImage, width: number, height: number): Uint8Array {
  const { width: inW, height: inH, data } = photo;
  // Horizontal pass over every row: inH x width, RGB.
  const across = new Uint8Array(inH * width * 3);
  if (width === inW) {
    for (let i = 0; i < inW * inH; i++) for (let c = 0; c < 3; c++) across[i * 3 + c] = data[i * 4 + c]!;
  } else {
    const { bounds, weights, size } = coefficients(inW, width);
    for (let y = 0; y < inH; y++) {
      for (let xx = 0; xx < width; xx++) {
        const xmin = bounds[xx * 2]!;
        const taps = bounds[xx * 2 + 1]!;
        const row = (y * inW + xmin) * 4;
        for (let c = 0; c < 3; c++) {
          let sum = HALF;
          for (let x = 0; x < taps; x++) sum += data[row + x * 4 + c]! * weights[xx * size + x]!;
          across[(y * width + xx) * 3 + c] = clip8(sum);
        }
      }
    }
  }
  if (height === inH) return across;
  // Vertical pass: height x width.
  const out = new Uint8Array(height * width * 3);
  const { bounds, weights, size } = coefficients(inH, height);
  for (let yy = 0; yy < height; yy++) {
    const ymin = bounds[yy * 2]!;
    const taps = bounds[yy * 2 + 1]!;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = HALF;
        for (let y = 0; y < taps; y++)
          sum += across[((ymin + y) * width + x) * 3 + c]! * weights[yy * size + y]!;
        out[(yy * width + x) * 3 + c] = clip8(sum);
      }
    }
  }
  return out;
}

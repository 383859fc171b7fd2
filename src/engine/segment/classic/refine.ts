// From the coarse superpixel mask to the photo's pixels. The mask is first snapped to the photo's edges
// by a guided filter (He, Sun and Tang, "Guided Image Filtering", TPAMI 2013) at a refinement size of at
// most 1024 pixels on the long side: the output is locally a linear function of the photo's brightness,
// so its 0.5 level follows edges the superpixels only approached. Beyond that size the refined mask is
// scaled up smoothly (a 1024-pixel edge lands within a few pixels on an 8K photo, and masks are feathered
// and dilated before use anyway).
import type { RgbaImage } from '../../image/types.js';
import { fitLongSide } from '../../image/types.js';
import type { OpenCv } from '../opencv.js';

type Mat = InstanceType<OpenCv['Mat']>;

export interface Guide {
  width: number;
  height: number;
  /** Brightness in 0-1, one float per pixel. */
  gray: Float32Array;
  /** The photo at the guide's size, RGBA. */
  rgba: Uint8Array;
  /**
   * The same through a median filter wider than a stem (thin-structures.ts): a region's broad colours, without
   * the thin structures that stand in it.
   */
  broad: Uint8Array;
}

/** The median filter's aperture for Guide.broad, as a share of the guide's long side (odd, at least 3). */
const BROAD_SHARE = 0.017;

export function makeGuide(cv: OpenCv, photo: RgbaImage, longSide: number): Guide {
  const { width, height } = fitLongSide(photo.width, photo.height, longSide);
  const mats: Mat[] = [];
  const track = (mat: Mat) => (mats.push(mat), mat);
  try {
    const rgba = track(new cv.Mat(photo.height, photo.width, cv.CV_8UC4));
    rgba.data.set(photo.data);
    const small = track(new cv.Mat());
    if (width === photo.width && height === photo.height) rgba.copyTo(small);
    else cv.resize(rgba, small, new cv.Size(width, height), 0, 0, cv.INTER_AREA);
    const gray = track(new cv.Mat());
    cv.cvtColor(small, gray, cv.COLOR_RGBA2GRAY);
    const grayFloat = track(new cv.Mat());
    gray.convertTo(grayFloat, cv.CV_32F, 1 / 255);
    // At half the size (the filter's cost grows with its aperture and the pixels it runs over; 230 ms at
    // the full guide size), then enlarged: a median is smooth where it is not at an edge.
    const half = track(new cv.Mat());
    cv.resize(
      small,
      half,
      new cv.Size(Math.max(1, width >> 1), Math.max(1, height >> 1)),
      0,
      0,
      cv.INTER_AREA,
    );
    const halfBroad = track(new cv.Mat());
    const aperture = Math.max(3, 2 * Math.round((Math.max(width, height) * BROAD_SHARE) / 4) + 1);
    cv.medianBlur(half, halfBroad, aperture);
    const broad = track(new cv.Mat());
    cv.resize(halfBroad, broad, new cv.Size(width, height), 0, 0, cv.INTER_LINEAR);
    return {
      width,
      height,
      gray: new Float32Array(grayFloat.data32F),
      rgba: new Uint8Array(small.data),
      broad: new Uint8Array(broad.data),
    };
  } finally {
    for (const mat of mats) mat.delete();
  }
}

export interface GuidedOptions {
  /** Window radius in guide pixels. */
  radius: number;
  /** Regularisation: edges with a brightness variance well above it are followed, weaker ones smoothed. */
  epsilon: number;
}

/** A 0/255 mask of any size, snapped to the guide's edges, at the guide's size (0/255). */
export function snapToEdges(
  cv: OpenCv,
  guide: Guide,
  mask: Uint8Array,
  width: number,
  height: number,
  options: GuidedOptions,
): Uint8Array {
  const mats: Mat[] = [];
  const track = (mat: Mat) => (mats.push(mat), mat);
  try {
    const I = track(new cv.Mat(guide.height, guide.width, cv.CV_32F));
    I.data32F.set(guide.gray);
    const coarse = track(new cv.Mat(height, width, cv.CV_8UC1));
    coarse.data.set(mask);
    const coarseFloat = track(new cv.Mat());
    coarse.convertTo(coarseFloat, cv.CV_32F, 1 / 255);
    const p = track(new cv.Mat());
    if (width === guide.width && height === guide.height) coarseFloat.copyTo(p);
    else cv.resize(coarseFloat, p, new cv.Size(guide.width, guide.height), 0, 0, cv.INTER_LINEAR);

    const size = new cv.Size(2 * options.radius + 1, 2 * options.radius + 1);
    const box = (src: Mat) => {
      const out = track(new cv.Mat());
      cv.boxFilter(src, out, cv.CV_32F, size, new cv.Point(-1, -1), true, cv.BORDER_REFLECT);
      return out;
    };
    const product = (a: Mat, b: Mat) => {
      const out = track(new cv.Mat());
      cv.multiply(a, b, out);
      return out;
    };
    const meanI = box(I);
    const meanP = box(p);
    const varI = track(new cv.Mat());
    cv.subtract(box(product(I, I)), product(meanI, meanI), varI);
    const covIP = track(new cv.Mat());
    cv.subtract(box(product(I, p)), product(meanI, meanP), covIP);
    // a = cov(I, p) / (var(I) + eps); b = mean(p) - a mean(I); q = mean(a) I + mean(b)   (paper, eq. 7-8)
    const denominator = track(new cv.Mat());
    const epsilon = track(new cv.Mat(guide.height, guide.width, cv.CV_32F, new cv.Scalar(options.epsilon)));
    cv.add(varI, epsilon, denominator);
    const a = track(new cv.Mat());
    cv.divide(covIP, denominator, a);
    const b = track(new cv.Mat());
    cv.subtract(meanP, product(a, meanI), b);
    const q = track(new cv.Mat());
    cv.add(product(box(a), I), box(b), q);

    const out = new Uint8Array(guide.width * guide.height);
    const values = q.data32F;
    for (let i = 0; i < out.length; i++) out[i] = values[i]! >= 0.5 ? 255 : 0;
    return out;
  } finally {
    for (const mat of mats) mat.delete();
  }
}

/** Resamples a 0/255 mask to another size: smooth contours when enlarging, majority when shrinking. */
export function resampleMask(
  cv: OpenCv,
  mask: Uint8Array,
  width: number,
  height: number,
  targetWidth: number,
  targetHeight: number,
): Uint8Array {
  if (width === targetWidth && height === targetHeight) return mask.slice();
  const source = new cv.Mat(height, width, cv.CV_8UC1);
  const resized = new cv.Mat();
  try {
    source.data.set(mask);
    const enlarging = targetWidth * targetHeight > width * height;
    cv.resize(
      source,
      resized,
      new cv.Size(targetWidth, targetHeight),
      0,
      0,
      enlarging ? cv.INTER_LINEAR : cv.INTER_AREA,
    );
    // Back to 0/255 inside OpenCV (a value over 127 is 255): a loop in JS over a 12 MP mask took about
    // half of this function's time, and the same values come out.
    cv.threshold(resized, resized, 127, 255, cv.THRESH_BINARY);
    return resized.data.slice();
  } finally {
    source.delete();
    resized.delete();
  }
}

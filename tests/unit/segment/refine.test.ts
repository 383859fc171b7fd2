// resampleMask: a 0/255 mask at another size, smooth contours when enlarging (bilinear, then cut at half)
// and majority when shrinking. Checked against OpenCV's own resize cut at 128 in plain code, on a mask
// made from a real photo (the coffee photo's bright parts), at the sizes the classic segmenter uses.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { resampleMask } from '../../../src/engine/segment/classic/refine.js';
import { loadOpenCv, type OpenCv } from '../../../src/engine/segment/opencv.js';
import { loadPhoto } from '../../helpers/photos.js';

let cv: OpenCv;
let photo: RgbaImage;
let mask: Uint8Array;

beforeAll(async () => {
  cv = await loadOpenCv();
  photo = (await loadPhoto('coffee.png')).image;
  mask = new Uint8Array(photo.width * photo.height);
  for (let i = 0; i < mask.length; i++) {
    const j = i * 4;
    mask[i] = photo.data[j]! + photo.data[j + 1]! + photo.data[j + 2]! > 3 * 140 ? 255 : 0;
  }
});

/** cv.resize, then every value of 128 or more to 255 and the rest to 0, one by one. */
function reference(width: number, height: number, enlarging: boolean): Uint8Array {
  const source = new cv.Mat(photo.height, photo.width, cv.CV_8UC1);
  const resized = new cv.Mat();
  try {
    source.data.set(mask);
    const how = enlarging ? cv.INTER_LINEAR : cv.INTER_AREA;
    cv.resize(source, resized, new cv.Size(width, height), 0, 0, how);
    return Uint8Array.from(resized.data, (v) => (v >= 128 ? 255 : 0));
  } finally {
    source.delete();
    resized.delete();
  }
}

describe('resampleMask', () => {
  it.each([
    ['enlarges', 4.3, true],
    ['shrinks', 0.37, false],
  ] as const)('%s a mask to 0/255 values with the contour of a bilinear resize', (_how, scale, enlarging) => {
    const width = Math.round(photo.width * scale);
    const height = Math.round(photo.height * scale);
    const out = resampleMask(cv, mask, photo.width, photo.height, width, height);
    expect(out.length).toBe(width * height);
    expect(out.every((v) => v === 0 || v === 255)).toBe(true);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(reference(width, height, enlarging)))).toBe(0);
    // The mask covers about the same share of the photo at any size.
    const share = (m: Uint8Array) => m.reduce((n, v) => n + (v ? 1 : 0), 0) / m.length;
    expect(Math.abs(share(out) - share(mask))).toBeLessThan(0.01);
  });

  it('gives a copy at the same size, not the mask itself', () => {
    const out = resampleMask(cv, mask, photo.width, photo.height, photo.width, photo.height);
    expect(out).not.toBe(mask);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(mask))).toBe(0);
  });
});

// The photo at the segmenter's working size: area-averaged down so the long side is at most `longSide`,
// as 8-bit RGB (for OpenCV) and as CIE Lab floats (colour distances that match what people see).
import type { RgbaImage } from '../../image/types.js';
import { fitLongSide } from '../../image/types.js';
import type { OpenCv } from '../opencv.js';

export interface WorkingImage {
  width: number;
  height: number;
  /** Working pixels per photo pixel (<= 1). */
  scale: number;
  rgb: Uint8Array;
  /** L in 0-100, a and b in about -128..127; 3 per pixel. */
  lab: Float32Array;
}

export function makeWorkingImage(cv: OpenCv, photo: RgbaImage, longSide: number): WorkingImage {
  const { width, height } = fitLongSide(photo.width, photo.height, longSide);
  const rgba = new cv.Mat(photo.height, photo.width, cv.CV_8UC4);
  const small = new cv.Mat();
  const rgb = new cv.Mat();
  const rgbFloat = new cv.Mat();
  const lab = new cv.Mat();
  try {
    rgba.data.set(photo.data);
    if (width === photo.width && height === photo.height) rgba.copyTo(small);
    else cv.resize(rgba, small, new cv.Size(width, height), 0, 0, cv.INTER_AREA);
    cv.cvtColor(small, rgb, cv.COLOR_RGBA2RGB);
    // Float input gives Lab in its natural units (8-bit input would rescale L to 0-255).
    rgb.convertTo(rgbFloat, cv.CV_32F, 1 / 255);
    cv.cvtColor(rgbFloat, lab, cv.COLOR_RGB2Lab);
    return {
      width,
      height,
      scale: width / photo.width,
      rgb: new Uint8Array(rgb.data),
      lab: new Float32Array(lab.data32F),
    };
  } finally {
    for (const mat of [rgba, small, rgb, rgbFloat, lab]) mat.delete();
  }
}

// A small real Animation for export tests and benchmarks, independent of the motion engine: a photo from
// examples/photos whose pixels inside an ellipse slide sideways, dx = round(A sin(2 pi i / n)). Frame 0
// is the photo exactly (dx = 0), outside the ellipse every frame is the photo, and every frame differs
// from the next, so frame counts, first-frame fidelity and the matte can all be checked.
import { StirError, type Mask } from '../../../src/shared/index.js';
import { resizeRgba } from '../../../src/engine/image/encode.js';
import { fitLongSide, type RgbaImage } from '../../../src/engine/image/types.js';
import type { AnimateInput, Animation, AnimationEngine } from '../../../src/engine/render/types.js';
import { unionMatte } from '../../../src/engine/export/matte.js';
import { loadPhoto, type PhotoName } from '../../helpers/photos.js';

export interface TestClipOptions {
  photo?: PhotoName;
  /** Long side of the clip; null keeps the photo's size. */
  longSide?: number | null;
  seconds?: number;
  fps?: number;
  /** Largest sideways shift in pixels. */
  amplitude?: number;
  /** Wait this long before each frame (cancel tests). */
  frameDelayMs?: number;
  /** Makes the photo transparent (alpha 128) in its top-left quarter. */
  transparentCorner?: boolean;
}

export interface TestClip {
  animation: Animation;
  /** Frame 0, the photo at the clip's size. */
  photo: RgbaImage;
  /** The ellipse, at the clip's size. */
  mask: Mask;
  /** Frames rendered so far (renderFrame calls), for checking that export streams. */
  rendered: () => number;
}

/** An ellipse centred in the image, covering the middle 60% of each side. */
export function ellipseMask(width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  const cx = width / 2;
  const cy = height / 2;
  const rx = width * 0.3;
  const ry = height * 0.3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5 - cx) / rx;
      const v = (y + 0.5 - cy) / ry;
      if (u * u + v * v <= 1) data[y * width + x] = 255;
    }
  }
  return { width, height, data };
}

export interface SlideOptions {
  frameCount: number;
  fps: number;
  /** Largest sideways shift in pixels. */
  amplitude?: number;
  /** Wait this long before each frame (cancel tests). */
  frameDelayMs?: number;
}

/** Pixels inside the mask slide sideways by round(A sin(2 pi i / n)); frame 0 is the photo. */
export function slideAnimation(
  photo: RgbaImage,
  mask: Mask,
  options: SlideOptions,
): Animation & { rendered(): number } {
  const { frameCount, fps } = options;
  const amplitude = options.amplitude ?? 12;
  let rendered = 0;

  const renderFrame = async (index: number, signal?: AbortSignal): Promise<RgbaImage> => {
    if (options.frameDelayMs) await new Promise((resolve) => setTimeout(resolve, options.frameDelayMs));
    if (signal?.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
    if (index < 0 || index >= frameCount) throw new RangeError(`frame ${index} of ${frameCount}`);
    rendered++;
    const dx = Math.round(amplitude * Math.sin((2 * Math.PI * index) / frameCount));
    const { width, height } = photo;
    const out = new Uint8Array(photo.data);
    if (dx !== 0) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if ((mask.data[y * width + x] ?? 0) < 128) continue;
          const sx = Math.min(width - 1, Math.max(0, x - dx));
          out.set(photo.data.subarray((y * width + sx) * 4, (y * width + sx) * 4 + 4), (y * width + x) * 4);
        }
      }
    }
    return { width, height, data: out };
  };

  return {
    engine: 'motion',
    width: photo.width,
    height: photo.height,
    frameCount,
    fps,
    renderFrame,
    async *frames(range = {}) {
      const to = range.to ?? frameCount;
      for (let index = range.from ?? 0; index < to; index++) {
        yield { index, image: await renderFrame(index, range.signal) };
      }
    },
    async dispose() {},
    rendered: () => rendered,
  };
}

export async function makeTestClip(options: TestClipOptions = {}): Promise<TestClip> {
  const decoded = await loadPhoto(options.photo ?? 'chelsea.png');
  const size = fitLongSide(decoded.image.width, decoded.image.height, options.longSide ?? 257);
  const resized = await resizeRgba(decoded.image, size.width, size.height);
  const photo: RgbaImage = {
    width: resized.width,
    height: resized.height,
    data: new Uint8Array(resized.data),
  };
  if (options.transparentCorner) {
    for (let y = 0; y < photo.height / 2; y++) {
      for (let x = 0; x < photo.width / 2; x++) photo.data[(y * photo.width + x) * 4 + 3] = 128;
    }
  }
  const mask = ellipseMask(photo.width, photo.height);
  const fps = options.fps ?? 12;
  const animation = slideAnimation(photo, mask, {
    frameCount: Math.round((options.seconds ?? 1) * fps),
    fps,
    amplitude: options.amplitude,
    frameDelayMs: options.frameDelayMs,
  });
  return { animation, photo, mask, rendered: animation.rendered };
}

/**
 * An animation engine over slideAnimation for service tests: the photo at the requested size, the union
 * of the regions' masks as the moving part, the requested seconds and fps.
 */
export function slideEngine(): AnimationEngine {
  return {
    id: 'motion',
    async prepare(input: AnimateInput) {
      const { width, height } = input.size;
      const photo = await resizeRgba(input.photo, width, height);
      const union = await unionMatte(
        input.regions.map((region) => region.mask),
        width,
        height,
      );
      const mask: Mask = { width, height, data: union ?? new Uint8Array(width * height) };
      return slideAnimation(photo, mask, {
        frameCount: Math.round(input.timing.seconds * input.timing.fps),
        fps: input.timing.fps,
      });
    },
  };
}

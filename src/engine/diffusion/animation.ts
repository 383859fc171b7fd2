// The diffusion engine's Animation: the generated frames (working size) mapped onto the clip's timeline
// and composited onto the photo at the output size through each region's feathered, dilated mask
// (MODEL-PACKS.md, "Full resolution": the background keeps every original pixel). With frame-0 anchoring
// (a setting, off by default: not part of the method) frame 0 is the photo and the decoder's drift from it
// is removed from every frame; without it the clip is the model's frames as they are.
import sharp from 'sharp';
import { throwIfCancelled, type Mask } from '../../shared/index.js';
import { resizeRgba } from '../image/encode.js';
import type { RgbaImage } from '../image/types.js';
import type { Animation } from '../render/types.js';
import { blur, boundingBox, compositeAlpha } from './masks.js';
import { framePair, positionAt, type ClipTiming, type RegionWindow } from './timeline.js';

export interface CompositeRegion {
  /** At the photo's size. */
  mask: Mask;
  window: RegionWindow;
}

export interface CompositeSetup {
  photo: RgbaImage;
  /** Output size (the photo's or smaller). */
  size: { width: number; height: number };
  /** The pipeline's F frames at the working size. */
  generated: RgbaImage[];
  regions: readonly CompositeRegion[];
  timing: ClipTiming;
  /** Shares of the output's long side. */
  dilation: number;
  feather: number;
  /** Replace generated frame 0 with the photo and remove its drift from every frame (anchoredFrames). */
  anchorFirstFrame: boolean;
}

/** Part of an output-size image: `data` covers `area` only. */
interface AreaImage {
  area: { x: number; y: number; width: number; height: number };
  data: Uint8Array;
}

interface PlacedRegion {
  alpha: Uint8Array;
  box: { x: number; y: number; width: number; height: number };
  window: RegionWindow;
}

/** The generated frames with frame 0 replaced by the photo and the colour drift of the VAE round trip removed. */
export async function anchoredFrames(
  photo: RgbaImage,
  generated: readonly RgbaImage[],
): Promise<RgbaImage[]> {
  const { width, height } = generated[0]!;
  const reference = await resizeRgba(photo, width, height);
  // The decoder's frame 0 should be the photo; what it gets wrong there (colour shift, lost detail) it
  // gets wrong on every frame. Its low frequencies are added back to every frame; frame 0 becomes the
  // photo itself, so the clip starts exactly on it.
  const plane = width * height;
  const radius = Math.max(1, Math.round(Math.max(width, height) / 64));
  const drift: Float32Array[] = [0, 1, 2].map((c) => {
    const diff = new Float32Array(plane);
    for (let i = 0; i < plane; i++) diff[i] = reference.data[i * 4 + c]! - generated[0]!.data[i * 4 + c]!;
    return blur(diff, width, height, radius);
  });
  return generated.map((frame, f) => {
    if (f === 0) return { width, height, data: reference.data.slice() };
    const data = new Uint8Array(frame.data.length);
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) {
        const v = frame.data[i * 4 + c]! + drift[c]![i]!;
        data[i * 4 + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
      data[i * 4 + 3] = 255;
    }
    return { width, height, data };
  });
}

export class DiffusionAnimation implements Animation {
  readonly engine = 'diffusion' as const;
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  readonly fps: number;
  readonly #background: RgbaImage;
  readonly #generated: RgbaImage[];
  readonly #regions: PlacedRegion[];
  readonly #timing: ClipTiming;
  /** Generated frame 0 is the photo itself: the clip's first frame needs nothing drawn. */
  readonly #firstIsPhoto: boolean;

  private constructor(
    background: RgbaImage,
    generated: RgbaImage[],
    regions: PlacedRegion[],
    timing: ClipTiming,
    firstIsPhoto: boolean,
  ) {
    this.#background = background;
    this.#firstIsPhoto = firstIsPhoto;
    this.#generated = generated;
    this.#regions = regions;
    this.#timing = timing;
    this.width = background.width;
    this.height = background.height;
    this.fps = timing.fps;
    this.frameCount = Math.max(1, Math.round(timing.seconds * timing.fps));
  }

  static async create(setup: CompositeSetup): Promise<DiffusionAnimation> {
    const { width, height } = setup.size;
    const background = await resizeRgba(setup.photo, width, height);
    const longSide = Math.max(width, height);
    const regions: PlacedRegion[] = [];
    for (const region of setup.regions) {
      const alpha = compositeAlpha(
        region.mask,
        width,
        height,
        setup.dilation * longSide,
        setup.feather * longSide,
      );
      const box = boundingBox(alpha, width, height);
      if (box) regions.push({ alpha, box, window: region.window });
    }
    const generated =
      setup.generated.length > 0 && setup.anchorFirstFrame
        ? await anchoredFrames(setup.photo, setup.generated)
        : [...setup.generated];
    return new DiffusionAnimation(background, generated, regions, setup.timing, setup.anchorFirstFrame);
  }

  async renderFrame(index: number, signal?: AbortSignal): Promise<RgbaImage> {
    throwIfCancelled(signal);
    const out = { width: this.width, height: this.height, data: this.#background.data.slice() };
    if (index < 0 || this.#generated.length === 0) return out;
    if (index === 0 && this.#firstIsPhoto) return out;
    const frames = this.#generated.length;
    // Regions at the same position share one upscaled frame.
    const upscaled = new Map<number, Promise<AreaImage>>();
    for (const region of this.#regions) {
      const position = positionAt(index, this.#timing, region.window, frames);
      if (position === 0 && this.#firstIsPhoto) continue; // generated frame 0 is the photo: nothing to draw
      const key = Math.round(position * 1e4);
      let image = upscaled.get(key);
      if (!image) {
        image = this.#upscale(position);
        upscaled.set(key, image);
      }
      composite(out, await image, region);
    }
    return out;
  }

  async *frames(
    options: { from?: number; to?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<{ index: number; image: RgbaImage }> {
    const from = Math.max(0, options.from ?? 0);
    const to = Math.min(this.frameCount, options.to ?? this.frameCount);
    for (let index = from; index < to; index++) {
      yield { index, image: await this.renderFrame(index, options.signal) };
    }
  }

  async dispose(): Promise<void> {
    this.#generated.length = 0;
  }

  /** The blended generated frame at `position`, resized to the output size; only the regions' area is kept. */
  async #upscale(position: number): Promise<AreaImage> {
    const { a, b, weight } = framePair(position, this.#generated.length, this.#timing.loop);
    const first = this.#generated[a]!;
    const source =
      weight === 0 ? first : { ...first, data: mix(first.data, this.#generated[b]!.data, weight) };
    const area = unionBox(this.#regions.map((r) => r.box));
    const { data, info } = await sharp(source.data, {
      raw: { width: source.width, height: source.height, channels: 4 },
    })
      .resize(this.width, this.height, { fit: 'fill', kernel: 'cubic' })
      .extract({ left: area.x, top: area.y, width: area.width, height: area.height })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      area: { ...area, width: info.width, height: info.height },
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  }
}

function mix(a: Uint8Array, b: Uint8Array, weight: number): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.round(a[i]! + weight * (b[i]! - a[i]!));
  return out;
}

function unionBox(boxes: readonly PlacedRegion['box'][]): PlacedRegion['box'] {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Draws `frame` over `out` through the region's alpha, colour only (the photo's own alpha is kept). */
function composite(out: RgbaImage, frame: AreaImage, region: PlacedRegion): void {
  const { x, y, width, height } = region.box;
  const { area } = frame;
  for (let row = y; row < y + height; row++) {
    for (let col = x; col < x + width; col++) {
      const p = row * out.width + col;
      const alpha = region.alpha[p]!;
      if (alpha === 0) continue;
      const a = alpha / 255;
      const q = ((row - area.y) * area.width + (col - area.x)) * 4;
      for (let c = 0; c < 3; c++) {
        const i = p * 4 + c;
        out.data[i] = Math.round(out.data[i]! + a * (frame.data[q + c]! - out.data[i]!));
      }
    }
  }
}

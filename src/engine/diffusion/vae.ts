// The VAE (MODEL-PACKS.md, "VAE"): the photo in [-1, 1] -> latent x scalingFactor; a latent / scalingFactor
// -> image, one frame at a time (the paper's code decodes per frame too: a 16-frame video at once does
// not fit in an ordinary GPU's memory). Plus a cheap latent preview that needs no decoder.
import { throwIfCancelled } from '../../shared/index.js';
import { resizeRgba } from '../image/encode.js';
import type { RgbaImage } from '../image/types.js';
import type { VaeComponent } from '../models/manifest.js';
import type { OnnxSession } from '../models/sessions.js';

/** The photo resized to the working size, as NCHW in [-1, 1]. */
export async function imageTensor(photo: RgbaImage, width: number, height: number): Promise<Float32Array> {
  const image = await resizeRgba(photo, width, height);
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = image.data[i * 4 + c]! / 127.5 - 1;
  }
  return out;
}

/** The image latent [4, h, w], already multiplied by the scaling factor. */
export async function encodeImage(
  encoder: OnnxSession,
  image: Float32Array,
  width: number,
  height: number,
  config: VaeComponent,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const out = await encoder.run({ sample: { data: image, dims: [1, 3, height, width] } }, signal);
  const latent = out.latent_sample!;
  // With mean and log-variance (8 channels), the mean is the first four: the deterministic latent.
  const size = 4 * latent.dims[2]! * latent.dims[3]!;
  const scaled = new Float32Array(size);
  for (let i = 0; i < size; i++) scaled[i] = latent.data[i]! * config.scalingFactor;
  return scaled;
}

/** Decodes one frame's latent [4, h, w] (scaled) to an RGBA image at 8x its size. */
export async function decodeFrame(
  decoder: OnnxSession,
  latent: Float32Array,
  latentWidth: number,
  latentHeight: number,
  config: VaeComponent,
  signal?: AbortSignal,
): Promise<RgbaImage> {
  throwIfCancelled(signal);
  const unscaled = new Float32Array(latent.length);
  for (let i = 0; i < latent.length; i++) unscaled[i] = latent[i]! / config.scalingFactor;
  const out = await decoder.run(
    { latent_sample: { data: unscaled, dims: [1, 4, latentHeight, latentWidth] } },
    signal,
  );
  const sample = out.sample!;
  const height = sample.dims[2]!;
  const width = sample.dims[3]!;
  return tensorToRgba(sample.data, width, height);
}

/** NCHW in [-1, 1] -> opaque RGBA. */
export function tensorToRgba(data: Float32Array, width: number, height: number): RgbaImage {
  const plane = width * height;
  const rgba = new Uint8Array(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = (data[c * plane + i]! + 1) * 127.5;
      rgba[i * 4 + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, data: rgba };
}

/**
 * SD 1.5 latent -> approximate RGB, a linear map (the factors ComfyUI and others use for live previews):
 * enough to see the motion take shape while denoising, without running the VAE decoder.
 */
const LATENT_RGB = [
  [0.3512, 0.2297, 0.3227],
  [0.325, 0.4974, 0.235],
  [-0.2829, 0.1762, 0.2721],
  [-0.212, -0.2616, -0.7177],
] as const;

/**
 * A strip of up to `count` frames of a video latent [4, F, h, w] (the predicted clean sample), side by
 * side at latent resolution.
 */
export function latentPreview(
  latent: Float32Array,
  frames: number,
  height: number,
  width: number,
  count = 4,
): RgbaImage {
  const picks = Array.from({ length: Math.min(count, frames) }, (_, i) =>
    Math.round((i * (frames - 1)) / Math.max(1, Math.min(count, frames) - 1)),
  );
  const stripWidth = width * picks.length;
  const data = new Uint8Array(stripWidth * height * 4);
  const plane = height * width;
  const [r0, g0, b0] = LATENT_RGB[0];
  const [r1, g1, b1] = LATENT_RGB[1];
  const [r2, g2, b2] = LATENT_RGB[2];
  const [r3, g3, b3] = LATENT_RGB[3];
  const byte = (v: number) => (v <= -1 ? 0 : v >= 1 ? 255 : Math.round((v + 1) * 127.5));
  picks.forEach((f, slot) => {
    const c0 = latent.subarray((0 * frames + f) * plane, (0 * frames + f + 1) * plane);
    const c1 = latent.subarray((1 * frames + f) * plane, (1 * frames + f + 1) * plane);
    const c2 = latent.subarray((2 * frames + f) * plane, (2 * frames + f + 1) * plane);
    const c3 = latent.subarray((3 * frames + f) * plane, (3 * frames + f + 1) * plane);
    for (let y = 0, p = 0; y < height; y++) {
      let o = (y * stripWidth + slot * width) * 4;
      for (let x = 0; x < width; x++, p++, o += 4) {
        const l0 = c0[p]!;
        const l1 = c1[p]!;
        const l2 = c2[p]!;
        const l3 = c3[p]!;
        data[o] = byte(l0 * r0 + l1 * r1 + l2 * r2 + l3 * r3);
        data[o + 1] = byte(l0 * g0 + l1 * g1 + l2 * g2 + l3 * g3);
        data[o + 2] = byte(l0 * b0 + l1 * b1 + l2 * b2 + l3 * b3);
        data[o + 3] = 255;
      }
    }
  });
  return { width: stripWidth, height, data };
}

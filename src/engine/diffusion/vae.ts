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
  const slots = Math.min(count, frames);
  const stripWidth = width * slots;
  const data = new Uint8Array(stripWidth * height * 4);
  for (let slot = 0; slot < slots; slot++) {
    const frame = Math.round((slot * (frames - 1)) / Math.max(1, slots - 1));
    previewFrame(latent, frames, frame, height, width, data, slot * width, stripWidth);
  }
  return { width: stripWidth, height, data };
}

/**
 * One frame of the latent into its slot of the strip. Few operations per pixel, written through a
 * clamped view (which clamps and rounds [-1, 1] * 127.5 + 127.5 to 0..255 itself): the first previews
 * run before V8 has optimised this loop, inside the denoising step.
 */
function previewFrame(
  latent: Float32Array,
  frames: number,
  frame: number,
  height: number,
  width: number,
  data: Uint8Array,
  left: number,
  stripWidth: number,
): void {
  const bytes = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  const plane = height * width;
  const [r0, g0, b0] = LATENT_RGB[0];
  const [r1, g1, b1] = LATENT_RGB[1];
  const [r2, g2, b2] = LATENT_RGB[2];
  const [r3, g3, b3] = LATENT_RGB[3];
  const c0 = (0 * frames + frame) * plane;
  const c1 = (1 * frames + frame) * plane;
  const c2 = (2 * frames + frame) * plane;
  const c3 = (3 * frames + frame) * plane;
  for (let y = 0, p = 0; y < height; y++) {
    let o = (y * stripWidth + left) * 4;
    for (let x = 0; x < width; x++, p++, o += 4) {
      const l0 = latent[c0 + p]!;
      const l1 = latent[c1 + p]!;
      const l2 = latent[c2 + p]!;
      const l3 = latent[c3 + p]!;
      bytes[o] = (l0 * r0 + l1 * r1 + l2 * r2 + l3 * r3 + 1) * 127.5;
      bytes[o + 1] = (l0 * g0 + l1 * g1 + l2 * g2 + l3 * g3 + 1) * 127.5;
      bytes[o + 2] = (l0 * b0 + l1 * b1 + l2 * b2 + l3 * b3 + 1) * 127.5;
      bytes[o + 3] = 255;
    }
  }
}

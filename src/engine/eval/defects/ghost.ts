// Ghosting (issue 10, point 7): a looping travel that cross-fades shows a see-through object. Within the
// object's own area, a frame is tested as a blend of two layers, the photo (the object there) and the
// clip's per-pixel median (the object gone, for a travel that is away most of the clip): a ghost is
// explained by a blend markedly better than by either layer alone.
import type { GreyImage } from '../../flow/index.js';

export interface Ghosting {
  /**
   * The smallest, over frames whose best blend weight lies in [0.2, 0.8], of the blend's squared error
   * over the better single layer's. Near 0: a frame is a translucent mix (a ghost); an opaque object
   * moving over the area reads 0.5 or more.
   */
  blendFit: number;
  /** The hole layer's weight in that frame (0 = the photo, 1 = the object gone). */
  alpha: number;
  /** The frame, or -1 when no frame is a blend. */
  frame: number;
}

/** Weights counted as translucent. */
const TRANSLUCENT = { from: 0.2, to: 0.8 };
/** The object must leave the area visibly (mean grey levels), and a frame must differ from both layers. */
const VISIBLE = 8;
const NOISE = 4;

/** `inside`: the object's mask at the frames' size. null when the object never leaves its area. */
export function ghosting(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
): Ghosting | null {
  const pixels: number[] = [];
  for (let i = 0; i < inside.length; i++) if (inside[i]) pixels.push(i);
  if (pixels.length === 0 || frames.length < 3) return null;
  const layer = new Float32Array(photo.data.length);
  const values = new Float32Array(frames.length);
  for (const i of pixels) {
    frames.forEach((frame, t) => (values[t] = frame.data[i]!));
    values.sort();
    layer[i] = values[Math.floor(values.length / 2)]!;
  }
  let dd = 0;
  let moved = 0;
  for (const i of pixels) {
    dd += (layer[i]! - photo.data[i]!) ** 2;
    moved += Math.abs(layer[i]! - photo.data[i]!);
  }
  if (moved / pixels.length < VISIBLE) return null;
  let worst: Ghosting | null = null;
  frames.forEach((frame, index) => {
    let ed = 0;
    let ee = 0;
    for (const i of pixels) {
      const e = frame.data[i]! - photo.data[i]!;
      ed += e * (layer[i]! - photo.data[i]!);
      ee += e * e;
    }
    const alpha = Math.min(1, Math.max(0, ed / dd));
    if (alpha < TRANSLUCENT.from || alpha > TRANSLUCENT.to) return;
    // Squared errors of F against P + a (H - P), against P (a = 0) and against H (a = 1).
    const blend = ee - 2 * alpha * ed + alpha * alpha * dd;
    const single = Math.min(ee, ee - 2 * ed + dd);
    if (single < NOISE * NOISE * pixels.length) return;
    const blendFit = Math.max(0, blend) / single;
    if (!worst || blendFit < worst.blendFit) worst = { blendFit, alpha, frame: index };
  });
  return worst ?? { blendFit: 1, alpha: 0, frame: -1 };
}

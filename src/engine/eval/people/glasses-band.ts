// Does a blink leave the glasses alone? (issue 12: a blink on Grace Hopper's portrait dragged the dark
// upper rim of her glasses down over her eyes, while every other people measure passed: the rim lies in
// the band around the eyes that the face-still SSIM leaves out.) The rim is found on the photo
// (people/face-glasses.ts) over the columns a lid may cover, and each frame is compared with the photo
// there: SSIM over the rim's rows and a row either side.
import { toGrey, type GreyImage } from '../../flow/index.js';
import type { RgbaImage } from '../../image/types.js';
import { glassesRim } from '../../people/face-glasses.js';
import { LEFT_EYE, RIGHT_EYE, meshPoints } from '../../people/landmarks.js';
import type { FoundFace } from '../../people/types.js';
import { ssimInside } from './measures.js';

/** The lids are drawn over an eye this much wider than the mesh's corners (face-blink.ts's WIDEN). */
const WIDEN = 1.2;

export class GlassesBand {
  readonly #photo: GreyImage;
  readonly #band: Uint8Array;

  /** The rim's band on the photo, or null when the face wears no glasses Stir can see. */
  static find(photo: RgbaImage, face: FoundFace): GlassesBand | null {
    const band = new Uint8Array(photo.width * photo.height);
    let any = false;
    for (const eye of [RIGHT_EYE, LEFT_EYE]) {
      const xs = meshPoints(face, eye.upper).map((p) => p[0]);
      const middle = (Math.min(...xs) + Math.max(...xs)) / 2;
      const half = ((Math.max(...xs) - Math.min(...xs)) / 2) * WIDEN;
      const x0 = Math.max(0, Math.floor(middle - half));
      const x1 = Math.min(photo.width - 1, Math.ceil(middle + half));
      const rim = glassesRim(photo, face, eye, x0, x1);
      if (!rim) continue;
      any = true;
      for (let x = x0; x <= x1; x++) {
        const from = Math.max(0, Math.floor(rim.top[x - x0]!) - 1);
        const to = Math.min(photo.height, Math.ceil(rim.bottom[x - x0]!) + 1);
        for (let y = from; y < to; y++) band[y * photo.width + x] = 1;
      }
    }
    return any ? new GlassesBand(toGrey(photo), band) : null;
  }

  private constructor(photo: GreyImage, band: Uint8Array) {
    this.#photo = photo;
    this.#band = band;
  }

  /** SSIM of the frame to the photo over the rim's band (1: the frame did not move). */
  still(frame: RgbaImage): number {
    return ssimInside(this.#photo, toGrey(frame), this.#band, 1);
  }
}

// The regions' matte: where the clip moves. It is the union of the regions' masks (soft edges kept),
// scaled to the clip's size; the export writes it as the alpha channel ("only the moving parts") or as a
// separate black-and-white clip for compositing in an editor.
import sharp from 'sharp';
import { StirError, type Mask } from '../../shared/index.js';
import type { RgbaImage } from '../image/types.js';

/** The union (per-pixel maximum) of the masks at width x height; null when there are none. */
export async function unionMatte(
  masks: readonly Mask[],
  width: number,
  height: number,
): Promise<Uint8Array | null> {
  if (masks.length === 0) return null;
  const union = new Uint8Array(width * height);
  for (const mask of masks) {
    const scaled = await resizeMask(mask, width, height);
    for (let i = 0; i < union.length; i++) {
      const value = scaled[i] ?? 0;
      if (value > (union[i] ?? 0)) union[i] = value;
    }
  }
  return union;
}

async function resizeMask(mask: Mask, width: number, height: number): Promise<Uint8Array> {
  if (mask.data.length !== mask.width * mask.height) {
    throw new StirError(
      'BAD_REQUEST',
      `A region mask of ${mask.width}x${mask.height} has the wrong number of bytes.`,
    );
  }
  if (mask.width === width && mask.height === height) return mask.data;
  const data = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** A copy of the frame whose alpha is its own alpha times the matte (straight alpha, colours untouched). */
export function withMatteAlpha(image: RgbaImage, matte: Uint8Array): Uint8Array {
  const out = new Uint8Array(image.data);
  for (let p = 0, i = 3; p < matte.length; p++, i += 4) {
    out[i] = Math.round(((out[i] ?? 0) * (matte[p] ?? 0)) / 255);
  }
  return out;
}

/** Whether any pixel is less than fully opaque (a transparent PNG or WebP photo). */
export function hasTransparency(image: RgbaImage): boolean {
  const { data } = image;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return true;
  return false;
}

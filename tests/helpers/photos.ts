// Real photos for tests (examples/photos, copied from ../shared/photos with their licence note).
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodePhoto, type DecodedPhoto } from '../../src/engine/image/decode.js';
import type { RgbaImage } from '../../src/engine/image/types.js';

export const PHOTOS_DIR = fileURLToPath(new URL('../../examples/photos/', import.meta.url));
export const PHOTO_NAMES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'grass.png', 'rocket.jpg'] as const;
export type PhotoName = (typeof PHOTO_NAMES)[number];

export function photoPath(name: PhotoName): string {
  return PHOTOS_DIR + name;
}

const cache = new Map<PhotoName, Promise<DecodedPhoto>>();

export function loadPhoto(name: PhotoName): Promise<DecodedPhoto> {
  let entry = cache.get(name);
  if (!entry) {
    entry = decodePhoto({ kind: 'path', path: photoPath(name) });
    cache.set(name, entry);
  }
  return entry;
}

/**
 * The photo enlarged to cover width x height and cropped to its middle (Lanczos), as a person holding a
 * large portrait has it: the people bench's 1080x1920 clip is the astronaut so.
 */
export async function loadEnlarged(name: PhotoName, width: number, height: number): Promise<RgbaImage> {
  const { data, info } = await sharp(photoPath(name))
    .resize(width, height, { fit: 'cover', kernel: 'lanczos3' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

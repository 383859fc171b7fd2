// Real photos for tests (examples/photos, copied from ../shared/photos with their licence note).
import { fileURLToPath } from 'node:url';
import { decodePhoto, type DecodedPhoto } from '../../src/engine/image/decode.js';

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

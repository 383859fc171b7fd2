// A 12 MP photo for the editor's latency targets (issue 13, point 1): the coffee photo upscaled to
// 4240x2832, made in memory each run (never written to disk or committed).
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RgbaImage } from '../src/engine/image/types.js';

const COFFEE = fileURLToPath(new URL('../examples/photos/coffee.png', import.meta.url));
export const TWELVE_MP = { width: 4240, height: 2832 } as const;

export async function twelveMegapixelPhoto(): Promise<RgbaImage> {
  const { data, info } = await sharp(COFFEE)
    .resize(TWELVE_MP.width, TWELVE_MP.height, { fit: 'fill', kernel: 'lanczos3' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

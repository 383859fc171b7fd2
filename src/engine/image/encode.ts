// Encoding and resizing RGBA images (previews, display copies, PNG sequences).
import sharp, { type Sharp } from 'sharp';
import type { RgbaImage } from './types.js';

function toSharp(image: RgbaImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
}

export async function encodeJpeg(image: RgbaImage, quality = 90): Promise<Uint8Array> {
  return toSharp(image)
    .flatten({ background: '#000000' })
    .jpeg({ quality, mozjpeg: false, chromaSubsampling: '4:4:4' })
    .toBuffer();
}

export async function encodePng(image: RgbaImage, compressionLevel = 6): Promise<Uint8Array> {
  return toSharp(image).png({ compressionLevel }).toBuffer();
}

/** Resizes with a Lanczos filter (area-averaging when shrinking), the quality a person expects in a preview. */
export async function resizeRgba(image: RgbaImage, width: number, height: number): Promise<RgbaImage> {
  if (width === image.width && height === image.height) return image;
  const { data, info } = await toSharp(image)
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

// Photo decoding: JPEG, PNG and WebP through sharp, EXIF orientation applied, always to 8-bit sRGB RGBA.
// Every way a file can be wrong becomes an error a person understands, and every file costs bounded time
// and memory: the header is read first, and a photo with too many pixels, or fewer bytes than its pixels
// could possibly take, is refused before anything is decoded. A photo larger than Stir's working size
// opens scaled down to it, and says so.
import { basename } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { LIMITS, StirError, formatBytes } from '../../shared/index.js';
import { readBoundedFile } from './read-file.js';
import type { RgbaImage } from './types.js';

export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type PhotoFormat = (typeof SUPPORTED_FORMATS)[number];

export interface DecodedPhoto {
  name: string;
  format: PhotoFormat;
  image: RgbaImage;
  /** The photo's own size (oriented) when it was scaled down to LIMITS.photoLongSideMax; null otherwise. */
  scaledFrom: { width: number; height: number } | null;
}

/**
 * The most pixels one byte of each format can stand for. Measured on flat grey 8192x8192 photos (the
 * best case for every codec): JPEG 170 pixels a byte, PNG (1-bit palette, deflate at its limit) about
 * 8,000, lossless WebP about 25,000. The limits leave a wide margin; a file beyond them claims a size its
 * data cannot fill (a few kilobytes "of" 67 megapixels) and would decode as garbage at full cost.
 */
const MAX_PIXELS_PER_BYTE: Record<PhotoFormat, number> = { jpeg: 2_000, png: 40_000, webp: 100_000 };

/**
 * A JPEG denser than this (pixels a byte) is decoded strictly: libjpeg only warns on corrupt data and
 * goes on decoding garbage, which for tens of megapixels takes tens of seconds; so a warning refuses it.
 * Real photos take 2 to 20 pixels a byte; a JPEG this sparse with a warning is not a photo. Denser ones
 * keep the lenient decode, as real cameras write harmless quirks ("extraneous bytes before marker").
 */
const JPEG_STRICT_PIXELS_PER_BYTE = 100;

const PHOTO_HINT = 'Choose a JPEG, PNG or WebP file.';

export type PhotoInput = { kind: 'path'; path: string } | { kind: 'bytes'; name: string; bytes: Uint8Array };

export async function readPhotoBytes(input: PhotoInput): Promise<{ name: string; bytes: Uint8Array }> {
  if (input.kind === 'bytes') {
    if (input.bytes.length > LIMITS.photoBytesMax) {
      throw new StirError(
        'IMAGE_TOO_LARGE',
        `${input.name} is ${formatBytes(input.bytes.length)}; Stir opens photos of up to ${formatBytes(LIMITS.photoBytesMax)}.`,
        { hint: 'Save the photo smaller first.' },
      );
    }
    return { name: input.name, bytes: input.bytes };
  }
  const bytes = await readBoundedFile(input.path, {
    maxBytes: LIMITS.photoBytesMax,
    kind: 'a photo',
    refusalCode: 'NOT_AN_IMAGE',
    tooLargeCode: 'IMAGE_TOO_LARGE',
    hint: PHOTO_HINT,
  });
  return { name: basename(input.path), bytes };
}

export async function decodePhoto(input: PhotoInput): Promise<DecodedPhoto> {
  const { name, bytes } = await readPhotoBytes(input);
  const notAnImage = (cause?: unknown) =>
    new StirError('NOT_AN_IMAGE', `${name} is not a photo Stir can open.`, {
      hint: 'Stir opens JPEG, PNG and WebP photos.',
      cause,
    });
  if (bytes.length === 0) throw notAnImage();

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (caught) {
    throw notAnImage(caught);
  }
  const format = metadata.format as string | undefined;
  if (!format || !(SUPPORTED_FORMATS as readonly string[]).includes(format)) {
    throw new StirError(
      'NOT_AN_IMAGE',
      `${name} is a ${format ?? 'file of unknown type'}, not a JPEG, PNG or WebP photo.`,
      {
        hint: 'Convert it to JPEG, PNG or WebP first.',
      },
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  const pixels = width * height;
  if (pixels > LIMITS.photoPixelsMax) {
    throw new StirError(
      'IMAGE_TOO_LARGE',
      `${name} is ${width}x${height} (${megapixels(pixels)} megapixels); Stir opens photos of up to ${megapixels(LIMITS.photoPixelsMax)} megapixels.`,
      { hint: 'Scale the photo down first.', details: { width, height } },
    );
  }
  if (pixels === 0 || pixels / bytes.length > MAX_PIXELS_PER_BYTE[format as PhotoFormat]) {
    throw new StirError(
      'NOT_AN_IMAGE',
      `${name} is damaged: its header says ${width}x${height}, but the file holds only ${formatBytes(bytes.length)}, far too little for that many pixels.`,
      { hint: 'Open the original photo again, or export it again from where it came from.' },
    );
  }

  const longSide = LIMITS.photoLongSideMax;
  try {
    // failOn 'error' refuses data that ends early and data the decoder cannot read ('warning' would also
    // refuse real photos with a harmless quirk, such as a PNG with an outdated sRGB profile), except for
    // a JPEG too sparse to be a photo (above).
    const strict = format === 'jpeg' && pixels / bytes.length > JPEG_STRICT_PIXELS_PER_BYTE;
    const { data, info } = await sharp(bytes, {
      failOn: strict ? 'warning' : 'error',
      limitInputPixels: LIMITS.photoPixelsMax,
      pages: 1,
    })
      .rotate() // applies the EXIF orientation, then drops the tag
      .resize(longSide, longSide, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`expected 4 channels, got ${info.channels}`);
    // EXIF orientations 5 to 8 turn the photo a quarter: its upright size swaps width and height.
    const upright = (metadata.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
    const scaled = info.width !== upright.width || info.height !== upright.height;
    return {
      name,
      format: format as PhotoFormat,
      image: {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      },
      scaledFrom: scaled ? upright : null,
    };
  } catch (caught) {
    throw new StirError(
      'NOT_AN_IMAGE',
      `${name} looks like a ${format} file but cannot be decoded: it may be damaged.`,
      {
        cause: caught,
      },
    );
  }
}

function megapixels(pixels: number): string {
  return String(Math.round(pixels / 1e5) / 10);
}

// Photo decoding: JPEG, PNG and WebP through sharp, EXIF orientation applied, always to 8-bit sRGB RGBA.
// Every way a file can be wrong becomes an error a person understands.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { LIMITS, StirError } from '../../shared/index.js';
import type { RgbaImage } from './types.js';

export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type PhotoFormat = (typeof SUPPORTED_FORMATS)[number];

export interface DecodedPhoto {
  name: string;
  format: PhotoFormat;
  image: RgbaImage;
}

export type PhotoInput = { kind: 'path'; path: string } | { kind: 'bytes'; name: string; bytes: Uint8Array };

export async function readPhotoBytes(input: PhotoInput): Promise<{ name: string; bytes: Uint8Array }> {
  if (input.kind === 'bytes') return { name: input.name, bytes: input.bytes };
  const name = basename(input.path);
  let info;
  try {
    info = await stat(input.path);
  } catch (caught) {
    const code = (caught as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new StirError('FILE_NOT_FOUND', `There is no file at ${input.path}.`, {
        hint: 'Check the path and the file name.',
        cause: caught,
      });
    }
    throw new StirError('FILE_UNREADABLE', `${name} cannot be read (${code ?? 'unknown error'}).`, {
      cause: caught,
    });
  }
  if (info.isDirectory()) {
    throw new StirError('NOT_AN_IMAGE', `${input.path} is a folder, not a photo.`, {
      hint: 'Choose a JPEG, PNG or WebP file.',
    });
  }
  try {
    return { name, bytes: await readFile(input.path) };
  } catch (caught) {
    const code = (caught as NodeJS.ErrnoException).code;
    throw new StirError('FILE_UNREADABLE', `${name} cannot be read (${code ?? 'unknown error'}).`, {
      hint: code === 'EACCES' ? 'Stir is not allowed to read this file: check its permissions.' : undefined,
      cause: caught,
    });
  }
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
    metadata = await sharp(bytes).metadata();
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
  const longSide = Math.max(metadata.width ?? 0, metadata.height ?? 0);
  if (longSide > LIMITS.photoLongSideMax) {
    throw new StirError(
      'IMAGE_TOO_LARGE',
      `${name} is ${metadata.width}x${metadata.height}; Stir opens photos up to ${LIMITS.photoLongSideMax} pixels on the long side.`,
      { hint: 'Scale the photo down first.' },
    );
  }

  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', pages: 1 })
      .rotate() // applies the EXIF orientation, then drops the tag
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`expected 4 channels, got ${info.channels}`);
    return {
      name,
      format: format as PhotoFormat,
      image: {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      },
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

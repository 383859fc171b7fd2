// Turns a document into the bytes of a .stir file and back. Masks travel as 8-bit greyscale PNGs (lossless,
// and a person can look at them); the photo is the oriented display copy the engine already holds.
import sharp from 'sharp';
import { LIMITS, StirError, type AnimationSettings, type Mask, type Region } from '../../shared/index.js';
import {
  MANIFEST_FILE,
  PROJECT_FORMAT,
  PROJECT_VERSION,
  readManifest,
  type ProjectManifest,
} from './format.js';
import { openZip, writeZip, type ProjectZip, type ZipEntry } from './zip.js';

export type DisplayMime = 'image/png' | 'image/jpeg' | 'image/webp';

/** Everything a project file holds. */
export interface ProjectContent {
  name: string;
  format: string;
  photo: { bytes: Uint8Array; mime: DisplayMime; width: number; height: number };
  regions: Region[];
  settings: AnimationSettings;
  regionsMade: number;
}

const EXTENSION_OF: Record<DisplayMime, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
};

export async function encodeProject(content: ProjectContent, savedAt: Date): Promise<Uint8Array> {
  const entries: ZipEntry[] = [];
  const photoFile = `photo${EXTENSION_OF[content.photo.mime]}`;
  const regions = await Promise.all(
    content.regions.map(async (region, index) => {
      const file = `masks/${String(index + 1).padStart(2, '0')}-${region.id}.png`;
      entries.push({ name: file, data: await encodeMaskPng(region.mask), compress: false });
      const { mask, ...rest } = region;
      return { ...rest, mask: { file, width: mask.width, height: mask.height } };
    }),
  );
  const manifest: ProjectManifest = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    savedAt: savedAt.toISOString(),
    name: content.name,
    photo: {
      file: photoFile,
      mime: content.photo.mime,
      format: content.format,
      width: content.photo.width,
      height: content.photo.height,
    },
    settings: content.settings,
    regionsMade: content.regionsMade,
    regions,
  };
  const json = new TextEncoder().encode(JSON.stringify(manifest, null, 2));
  // project.json first, so a person (or `unzip -p`) finds it at once.
  return writeZip(
    [
      { name: MANIFEST_FILE, data: json, compress: true },
      { name: photoFile, data: content.photo.bytes, compress: false },
      ...entries,
    ],
    savedAt,
  );
}

/** project.json is a few kilobytes; even 16 regions with long click lists stay far below this. */
const MANIFEST_BYTES_MAX = 4_000_000;

/**
 * The most a mask PNG of `pixels` pixels can take: 8-bit grey stored without compression (one byte a
 * pixel and one a row), plus chunk and zlib framing. A larger entry is not a mask.
 */
function maskBytesMax(width: number, height: number): number {
  return Math.ceil(width * height * 1.01) + height + 64 * 1024;
}

/**
 * Reads a .stir file's bytes; `what` names it in messages (its file name). Only the entries project.json
 * names are read, each capped and checked against its CRC; the photo and the masks are checked against
 * the sizes project.json gives before they are decoded.
 */
export async function decodeProject(bytes: Uint8Array, what: string): Promise<ProjectContent> {
  const zip = await openZip(bytes, what);
  try {
    return await decodeEntries(zip, what);
  } finally {
    zip.close();
  }
}

async function decodeEntries(zip: ProjectZip, what: string): Promise<ProjectContent> {
  const manifestBytes = await zip.read(MANIFEST_FILE, MANIFEST_BYTES_MAX);
  if (!manifestBytes) {
    throw new StirError('PROJECT_INVALID', `${what} is not a Stir project: it has no ${MANIFEST_FILE}.`, {
      hint: 'Open a .stir file saved by Stir.',
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (caught) {
    throw new StirError('PROJECT_INVALID', `${what} is damaged: its ${MANIFEST_FILE} is not valid JSON.`, {
      cause: caught,
    });
  }
  const manifest = readManifest(raw, what);
  const { photo } = manifest;
  if (Math.max(photo.width, photo.height) > LIMITS.photoLongSideMax) {
    throw new StirError(
      'PROJECT_INVALID',
      `${what} is damaged: its photo is ${photo.width}x${photo.height}, larger than Stir works at (${LIMITS.photoLongSideMax} pixels on the long side).`,
    );
  }
  if (manifest.regions.length > LIMITS.regionsMax) {
    throw new StirError(
      'PROJECT_INVALID',
      `${what} has ${manifest.regions.length} regions; a photo can have at most ${LIMITS.regionsMax}.`,
      { hint: 'It was not saved by this Stir, or it was edited by hand.' },
    );
  }
  const regions: Region[] = [];
  const ids = new Set<string>();
  for (const stored of manifest.regions) {
    if (ids.has(stored.id)) {
      throw new StirError('PROJECT_INVALID', `${what} is damaged: two regions share the id ${stored.id}.`);
    }
    ids.add(stored.id);
    if (stored.mask.width !== photo.width || stored.mask.height !== photo.height) {
      throw maskSizeMismatch(what, stored.name, stored.mask, photo);
    }
    if (!zip.has(stored.mask.file)) {
      throw new StirError('PROJECT_INVALID', `${what} is damaged: the mask of "${stored.name}" is missing.`);
    }
  }
  const photoBytes = await zip.read(photo.file, LIMITS.photoBytesMax);
  if (!photoBytes) {
    throw new StirError('PROJECT_INVALID', `${what} is damaged: the photo (${photo.file}) is missing.`);
  }
  for (const stored of manifest.regions) {
    const png = await zip.read(stored.mask.file, maskBytesMax(photo.width, photo.height));
    if (!png) {
      throw new StirError('PROJECT_INVALID', `${what} is damaged: the mask of "${stored.name}" is missing.`);
    }
    const mask = await decodeMaskPng(png, what, stored.name, photo);
    regions.push({ ...stored, mask });
  }
  return {
    name: manifest.name,
    format: photo.format,
    photo: { bytes: photoBytes, mime: photo.mime, width: photo.width, height: photo.height },
    regions,
    settings: manifest.settings,
    regionsMade: Math.max(manifest.regionsMade, regions.length),
  };
}

function maskSizeMismatch(
  what: string,
  region: string,
  mask: { width: number; height: number },
  photo: { width: number; height: number },
): StirError {
  return new StirError(
    'PROJECT_INVALID',
    `${what} is damaged: the mask of "${region}" is ${mask.width}x${mask.height}, the photo ${photo.width}x${photo.height}.`,
  );
}

export async function encodeMaskPng(mask: Mask): Promise<Uint8Array> {
  const buffer = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** Decodes a mask PNG that must be `size` (checked on its header, before any pixel is decoded). */
export async function decodeMaskPng(
  png: Uint8Array,
  what: string,
  region: string,
  size: { width: number; height: number },
): Promise<Mask> {
  const unreadable = (cause?: unknown) =>
    new StirError('PROJECT_INVALID', `${what} is damaged: the mask of "${region}" does not read.`, { cause });
  let header: { width?: number; height?: number; format?: string };
  try {
    header = await sharp(png, { limitInputPixels: false }).metadata();
  } catch (caught) {
    throw unreadable(caught);
  }
  if (header.format !== 'png') throw unreadable();
  if (header.width !== size.width || header.height !== size.height) {
    throw maskSizeMismatch(what, region, { width: header.width ?? 0, height: header.height ?? 0 }, size);
  }
  try {
    const { data, info } = await sharp(png, { failOn: 'error', limitInputPixels: size.width * size.height })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (caught) {
    throw unreadable(caught);
  }
}

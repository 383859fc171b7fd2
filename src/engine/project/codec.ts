// Turns a document into the bytes of a .stir file and back. Masks travel as 8-bit greyscale PNGs (lossless,
// and a person can look at them); the photo is the oriented display copy the engine already holds.
import sharp from 'sharp';
import { StirError, type AnimationSettings, type Mask, type Region } from '../../shared/index.js';
import {
  MANIFEST_FILE,
  PROJECT_FORMAT,
  PROJECT_VERSION,
  readManifest,
  type ProjectManifest,
} from './format.js';
import { readZip, writeZip, type ZipEntry } from './zip.js';

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

/** Reads a .stir file's bytes; `what` names it in messages (its file name). */
export async function decodeProject(bytes: Uint8Array, what: string): Promise<ProjectContent> {
  const files = await readZip(bytes, what);
  const manifestBytes = files.get(MANIFEST_FILE);
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
  const photoBytes = files.get(photo.file);
  if (!photoBytes) {
    throw new StirError('PROJECT_INVALID', `${what} is damaged: the photo (${photo.file}) is missing.`);
  }
  const regions: Region[] = [];
  const ids = new Set<string>();
  for (const stored of manifest.regions) {
    if (ids.has(stored.id)) {
      throw new StirError('PROJECT_INVALID', `${what} is damaged: two regions share the id ${stored.id}.`);
    }
    ids.add(stored.id);
    const png = files.get(stored.mask.file);
    if (!png) {
      throw new StirError('PROJECT_INVALID', `${what} is damaged: the mask of "${stored.name}" is missing.`);
    }
    const mask = await decodeMaskPng(png, what, stored.name);
    if (mask.width !== photo.width || mask.height !== photo.height) {
      throw new StirError(
        'PROJECT_INVALID',
        `${what} is damaged: the mask of "${stored.name}" is ${mask.width}x${mask.height}, the photo ${photo.width}x${photo.height}.`,
      );
    }
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

export async function encodeMaskPng(mask: Mask): Promise<Uint8Array> {
  const buffer = await sharp(mask.data, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

export async function decodeMaskPng(png: Uint8Array, what: string, region: string): Promise<Mask> {
  try {
    const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (caught) {
    throw new StirError('PROJECT_INVALID', `${what} is damaged: the mask of "${region}" does not read.`, {
      cause: caught,
    });
  }
}

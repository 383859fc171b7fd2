// Where an export goes (issue 13, point 2). A person gives a file, a folder, or nothing; Stir turns that into
// one path whose extension matches the format, so an editor opening the file never meets a ProRes clip
// named .mp4:
//   - nothing: the default export folder (created when missing, as on a fresh machine without ~/Videos);
//   - a folder (one that exists, or a path ending in a slash, or a new name without an extension): a file
//     named after the photo and the preset inside it ("rocket-web-mp4.mp4"), never replacing a file there;
//   - a file whose extension belongs to another format or to none: the right extension, and a notice that
//     says so.
import { mkdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve, sep } from 'node:path';
import { EXPORT_FORMAT_INFO, StirError, type ExportFormat, type ExportPresetId } from '../../shared/index.js';
import { unwritable } from './failures.js';
import { isStirSequence } from './staged-output.js';

/** Extensions each format may be written under (the first is the one Stir picks). ffmpeg is told the
 * container explicitly, so an accepted alias (.m4v, .apng) writes the same file. */
const ACCEPTED_EXTENSIONS: Readonly<Record<ExportFormat, readonly string[]>> = {
  'mp4-h264': ['.mp4', '.m4v'],
  'mp4-h265': ['.mp4', '.m4v'],
  'mov-prores-422hq': ['.mov'],
  'mov-prores-4444': ['.mov'],
  'webm-vp9': ['.webm'],
  gif: ['.gif'],
  webp: ['.webp'],
  apng: ['.png', '.apng'],
  'png-sequence': [],
};

/** Extensions that name a picture or video of some kind: typed for another format, they are replaced
 * rather than kept ("clip.mp4" for ProRes becomes "clip.mov", not "clip.mp4.mov"). */
const MEDIA_EXTENSIONS = new Set([
  ...Object.values(ACCEPTED_EXTENSIONS).flat(),
  ...['.mkv', '.avi', '.wmv', '.flv', '.mpg', '.mpeg', '.m2ts', '.mts', '.3gp', '.mxf', '.ogv'],
  ...['.jpg', '.jpeg', '.tif', '.tiff', '.bmp', '.heic', '.exr', '.avif'],
]);

export interface ExportTargetRequest {
  /** What the person typed or picked (absolute, or relative to the process's folder); null: the default. */
  requested: string | null;
  /** The default export folder. */
  defaultFolder: string;
  /** The photo's file name ("rocket.jpg"); names a clip written into a folder. */
  photoName: string;
  format: ExportFormat;
  /** The preset chosen, which names the clip beside the photo; without one, the format does. */
  preset: ExportPresetId | null;
}

export interface ExportTarget {
  /** The clip (or, for a PNG sequence, its folder). */
  path: string;
  /** A folder that does not exist yet; `prepareExportFolder` makes it. */
  createFolder: string | null;
  /** Said to the person when the path is not the one typed: the extension corrected, a folder made. */
  notice: string | null;
}

/** Decides the path; reads the file system (what exists) but writes nothing. */
export async function resolveExportTarget(request: ExportTargetRequest): Promise<ExportTarget> {
  const info = EXPORT_FORMAT_INFO[request.format];
  if (request.requested === null) {
    const folder = resolve(request.defaultFolder);
    return intoFolder(folder, request, (await isFolder(folder)) ? null : folder, null);
  }
  const typed = request.requested;
  const path = resolve(typed);
  const existing = await stat(path).catch(() => null);
  const endsWithSeparator = typed.endsWith('/') || typed.endsWith(sep);

  if (existing?.isDirectory()) {
    // An earlier PNG sequence of Stir's is the target itself (replaced when allowed); any other folder
    // receives the clip.
    if (info.folder && !endsWithSeparator && (await isStirSequence(path))) {
      return { path, createFolder: null, notice: null };
    }
    return intoFolder(path, request, null, null);
  }
  if (endsWithSeparator) {
    return intoFolder(path, request, path, `Made the folder ${path} for the clip.`);
  }

  const extension = extname(path);
  const lower = extension.toLowerCase();
  if (info.folder) {
    // A sequence is a folder: "frames.png" names the folder "frames".
    if (!MEDIA_EXTENSIONS.has(lower)) return { path, createFolder: null, notice: null };
    const folder = path.slice(0, -extension.length);
    return {
      path: folder,
      createFolder: null,
      notice: `A PNG sequence is a folder of frames, so it was written as the folder ${basename(folder)}.`,
    };
  }
  const accepted = ACCEPTED_EXTENSIONS[request.format];
  if (accepted.includes(lower)) return { path, createFolder: null, notice: null };
  if (lower === '' && !existing) {
    // A new name without an extension is a folder to make, not a file called "exports".
    return intoFolder(path, request, path, `Made the folder ${path} for the clip.`);
  }
  const stem = MEDIA_EXTENSIONS.has(lower) ? path.slice(0, -extension.length) : path;
  const corrected = `${stem}${info.extension}`;
  const typedName = basename(path);
  const why = lower
    ? `${info.label} is not a ${lower} file`
    : `${info.label} needs the ${info.extension} extension`;
  return {
    path: corrected,
    createFolder: null,
    notice: `${why}, so ${typedName} was saved as ${basename(corrected)}.`,
  };
}

/** Makes the folder the target needs (the default folder on a fresh machine, a typed new folder). */
export async function prepareExportFolder(target: ExportTarget): Promise<void> {
  if (target.createFolder === null) return;
  try {
    await mkdir(target.createFolder, { recursive: true });
  } catch (caught) {
    const code = (caught as { code?: unknown }).code;
    if (code === 'ENOTDIR' || code === 'EEXIST') {
      throw new StirError(
        'OUTPUT_UNWRITABLE',
        `Stir cannot make the folder ${target.createFolder}: part of that path is a file.`,
        { hint: 'Choose another folder.', details: { path: target.path }, cause: caught },
      );
    }
    throw unwritable(target.path, caught);
  }
}

/** A name for a clip Stir names itself: the photo and the preset, numbered past any file already there. */
export async function freshClipName(
  folder: string,
  photoName: string,
  format: ExportFormat,
  preset: ExportPresetId | null,
): Promise<string> {
  const photoStem = basename(photoName, extname(photoName)) || 'clip';
  const stem = `${photoStem}-${preset ?? format}`;
  const extension = EXPORT_FORMAT_INFO[format].extension;
  for (let n = 1; ; n++) {
    const candidate = join(folder, `${stem}${n === 1 ? '' : `-${n}`}${extension}`);
    if (!(await stat(candidate).catch(() => null))) return candidate;
  }
}

async function intoFolder(
  folder: string,
  request: ExportTargetRequest,
  createFolder: string | null,
  notice: string | null,
): Promise<ExportTarget> {
  const path = await freshClipName(folder, request.photoName, request.format, request.preset);
  return { path, createFolder, notice };
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

// Export: the formats a clip can be written in, the presets named for what a person does with the clip
// (issue 6), and the startExport request. A preset fills defaults; any field given explicitly wins.
import { z } from 'zod';
import { method } from './define.js';
import { JobStartedSchema } from './jobs.js';
import { StrengthNotesSchema } from './render.js';
import { LIMITS } from '../model.js';

export const EXPORT_FORMATS = [
  'mp4-h264',
  'mp4-h265',
  'mov-prores-422hq',
  'mov-prores-4444',
  'webm-vp9',
  'gif',
  'webp',
  'apng',
  'png-sequence',
] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** What a format can carry, for the export dialog and the CLI's help (the engine holds how to encode it). */
export interface ExportFormatInfo {
  label: string;
  /** File extension with the dot; '' for a folder (the PNG sequence). */
  extension: string;
  /** Writes a folder of numbered files with a sidecar JSON instead of one file. */
  folder: boolean;
  /** Can carry an alpha channel (transparent photos, the "only the moving parts" matte). */
  alpha: boolean;
  /** Stores a loop count in the file (GIF, WebP, APNG); other formats repeat the clip in the file instead. */
  loopMetadata: boolean;
  /** Follows the quality setting; the others are lossless or have a fixed quality (ProRes). */
  lossy: boolean;
}

export const EXPORT_FORMAT_INFO: Readonly<Record<ExportFormat, ExportFormatInfo>> = {
  'mp4-h264': {
    label: 'MP4 (H.264)',
    extension: '.mp4',
    folder: false,
    alpha: false,
    loopMetadata: false,
    lossy: true,
  },
  'mp4-h265': {
    label: 'MP4 (H.265 / HEVC)',
    extension: '.mp4',
    folder: false,
    alpha: false,
    loopMetadata: false,
    lossy: true,
  },
  'mov-prores-422hq': {
    label: 'QuickTime (ProRes 422 HQ)',
    extension: '.mov',
    folder: false,
    alpha: false,
    loopMetadata: false,
    lossy: false,
  },
  'mov-prores-4444': {
    label: 'QuickTime (ProRes 4444, alpha)',
    extension: '.mov',
    folder: false,
    alpha: true,
    loopMetadata: false,
    lossy: false,
  },
  'webm-vp9': {
    label: 'WebM (VP9, alpha)',
    extension: '.webm',
    folder: false,
    alpha: true,
    loopMetadata: false,
    lossy: true,
  },
  gif: { label: 'GIF', extension: '.gif', folder: false, alpha: true, loopMetadata: true, lossy: false },
  webp: {
    label: 'Animated WebP',
    extension: '.webp',
    folder: false,
    alpha: true,
    loopMetadata: true,
    lossy: true,
  },
  apng: {
    label: 'Animated PNG (APNG)',
    extension: '.png',
    folder: false,
    alpha: true,
    loopMetadata: true,
    lossy: false,
  },
  'png-sequence': {
    label: 'PNG sequence (folder)',
    extension: '',
    folder: true,
    alpha: true,
    loopMetadata: false,
    lossy: false,
  },
};

/**
 * The regions' mattes: none; as the clip's alpha channel (an overlay of only the moving parts, for formats
 * with alpha); or as a separate black-and-white clip in the same format beside the clip ("-matte" added to
 * its name), for compositing in an editor.
 */
export const ExportMatteSchema = z.enum(['none', 'alpha', 'separate']);
export type ExportMatte = z.infer<typeof ExportMatteSchema>;

export const EXPORT_PRESET_IDS = [
  'resolve-prores-422hq',
  'overlay-prores-4444',
  'web-mp4',
  'social-loop-mp4',
  'gif',
  'png-sequence',
] as const;
export const ExportPresetIdSchema = z.enum(EXPORT_PRESET_IDS);
export type ExportPresetId = z.infer<typeof ExportPresetIdSchema>;

/** 1-100 like a JPEG quality; mapped onto each lossy codec's own scale (CRF, WebP q). */
const QualitySchema = z.int().min(1).max(100);
/** How many times the clip plays: 0 forever (GIF, WebP, APNG only); in other formats the clip is repeated. */
const LoopsSchema = z.int().min(0).max(100);
const FpsSchema = z.int().min(LIMITS.fpsMin).max(LIMITS.fpsMax);
const LongSideSchema = z.int().min(16).max(8192);

export const ExportPresetSchema = z.object({
  id: ExportPresetIdSchema,
  /** Named for what the clip is for, as shown in the export dialog and accepted by `--preset`. */
  name: z.string(),
  description: z.string(),
  format: ExportFormatSchema,
  quality: QualitySchema,
  loops: LoopsSchema,
  pingPong: z.boolean(),
  matte: ExportMatteSchema,
  /** Frame rate the clip is rendered at; null keeps the document's. */
  fps: FpsSchema.nullable(),
  /** Long side in pixels; null keeps the photo's full size. */
  longSide: LongSideSchema.nullable(),
});
export type ExportPreset = z.infer<typeof ExportPresetSchema>;

export const DEFAULT_EXPORT_QUALITY = 75;

export const EXPORT_PRESETS: readonly ExportPreset[] = [
  {
    id: 'resolve-prores-422hq',
    name: 'Edit in Resolve / Premiere (ProRes 422 HQ)',
    description: 'Full quality for an editing timeline; large files.',
    format: 'mov-prores-422hq',
    quality: DEFAULT_EXPORT_QUALITY,
    loops: 1,
    pingPong: false,
    matte: 'none',
    fps: null,
    longSide: null,
  },
  {
    id: 'overlay-prores-4444',
    name: 'Transparent overlay (ProRes 4444)',
    description: 'Only the moving parts, transparent elsewhere, to lay over the photo or other footage.',
    format: 'mov-prores-4444',
    quality: DEFAULT_EXPORT_QUALITY,
    loops: 1,
    pingPong: false,
    matte: 'alpha',
    fps: null,
    longSide: null,
  },
  {
    id: 'web-mp4',
    name: 'Web (MP4)',
    description: 'H.264 that plays everywhere: browsers, phones, slides.',
    format: 'mp4-h264',
    quality: DEFAULT_EXPORT_QUALITY,
    loops: 1,
    pingPong: false,
    matte: 'none',
    fps: null,
    longSide: null,
  },
  {
    id: 'social-loop-mp4',
    name: 'Social loop (MP4, 3 loops)',
    description: 'The clip three times in one H.264 file, for feeds that do not loop short videos.',
    format: 'mp4-h264',
    quality: DEFAULT_EXPORT_QUALITY,
    loops: 3,
    pingPong: false,
    matte: 'none',
    fps: null,
    longSide: null,
  },
  {
    id: 'gif',
    name: 'GIF',
    description: '480 pixels on the long side at 15 frames a second, looping forever; plays anywhere.',
    format: 'gif',
    quality: DEFAULT_EXPORT_QUALITY,
    loops: 0,
    pingPong: false,
    matte: 'none',
    fps: 15,
    longSide: 480,
  },
  {
    id: 'png-sequence',
    name: 'Image sequence (PNG)',
    description: 'A folder of numbered lossless PNG frames with a JSON file giving the frame rate.',
    format: 'png-sequence',
    quality: DEFAULT_EXPORT_QUALITY,
    loops: 1,
    pingPong: false,
    matte: 'none',
    fps: null,
    longSide: null,
  },
];

export function exportPreset(id: ExportPresetId): ExportPreset {
  const preset = EXPORT_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown export preset ${id}`);
  return preset;
}

const startExportFields = z.object({
  docId: z.string(),
  /** Fills every setting below that is not given; without a preset the defaults are those of "Web (MP4)". */
  preset: ExportPresetIdSchema.nullable().default(null),
  format: ExportFormatSchema.optional(),
  /** Where to write; null writes into the default export folder under a name made from the photo's. */
  path: z.string().min(1).nullable().default(null),
  /** Long side of the clip in pixels; null keeps the photo's full size; left out, the preset's. */
  longSide: LongSideSchema.nullable().optional(),
  /** Replace a file already at the path. */
  overwrite: z.boolean().default(true),
  quality: QualitySchema.optional(),
  /** Frame rate of the clip; null keeps the document's; left out, the preset's. */
  fps: FpsSchema.nullable().optional(),
  loops: LoopsSchema.optional(),
  /** Plays forward then backward, so the clip loops without a jump. */
  pingPong: z.boolean().optional(),
  matte: ExportMatteSchema.optional(),
});

/** Fills what the request leaves out from its preset (or the format's defaults) and checks the mix. */
export const StartExportParamsSchema = startExportFields.transform((params, ctx) => {
  const preset = params.preset === null ? null : exportPreset(params.preset);
  const format = params.format ?? preset?.format ?? 'mp4-h264';
  const info = EXPORT_FORMAT_INFO[format];
  // A preset's loop count and matte carry over to a format chosen over it where that format can do them.
  const presetLoops = preset === null || (preset.loops === 0 && !info.loopMetadata) ? null : preset.loops;
  const presetMatte = preset === null || (preset.matte === 'alpha' && !info.alpha) ? null : preset.matte;
  const resolved = {
    docId: params.docId,
    preset: params.preset,
    format,
    path: params.path,
    longSide: params.longSide === undefined ? (preset?.longSide ?? null) : params.longSide,
    overwrite: params.overwrite,
    quality: params.quality ?? preset?.quality ?? DEFAULT_EXPORT_QUALITY,
    fps: params.fps === undefined ? (preset?.fps ?? null) : params.fps,
    loops: params.loops ?? presetLoops ?? (info.loopMetadata ? 0 : 1),
    pingPong: params.pingPong ?? preset?.pingPong ?? false,
    matte: params.matte ?? presetMatte ?? 'none',
  };
  if (resolved.matte === 'alpha' && !info.alpha) {
    ctx.addIssue({
      code: 'custom',
      path: ['matte'],
      message: `${info.label} has no alpha channel, so it cannot carry the matte as transparency; choose ProRes 4444, WebM, GIF, WebP, APNG or a PNG sequence, or export the matte as a separate clip`,
    });
  }
  if (resolved.loops === 0 && !info.loopMetadata) {
    ctx.addIssue({
      code: 'custom',
      path: ['loops'],
      message: `${info.label} cannot loop forever by itself; give how many times to repeat the clip (1 or more)`,
    });
  }
  return resolved;
});
export type StartExportParams = z.input<typeof StartExportParamsSchema>;
export type ResolvedExportParams = z.output<typeof StartExportParamsSchema>;

export const ExportResultSchema = z.object({
  /** The clip, or for a PNG sequence its folder. */
  path: z.string(),
  bytes: z.int().min(0),
  format: ExportFormatSchema,
  /** The clip's size: an odd last row or column is cropped where the codec needs even sides (H.264 and H.265 both, ProRes 422 HQ the width). */
  width: z.int().positive(),
  height: z.int().positive(),
  /** Frames in the file, ping-pong and repeats included. */
  frameCount: z.int().positive(),
  fps: z.number().positive(),
  millis: z.number().min(0),
  /** In browser mode: a URL on the local server that downloads the file. */
  downloadUrl: z.string().nullable(),
  /** The separate black-and-white matte clip, when one was asked for. */
  mattePath: z.string().nullable().default(null),
  /** Said to the person when the path differs from the one given (the extension corrected, a folder made). */
  notice: z.string().nullable().default(null),
  strengthNotes: StrengthNotesSchema,
});
export type ExportResult = z.infer<typeof ExportResultSchema>;

export const exportMethods = {
  startExport: method(
    StartExportParamsSchema,
    JobStartedSchema,
    'Renders the document at full (or the chosen) size and encodes it; the file appears only when complete.',
  ),
  listExportPresets: method(
    z.object({}).default({}),
    z.array(ExportPresetSchema),
    'The export presets, named for what the clip is for, with the settings each fills in.',
  ),
};

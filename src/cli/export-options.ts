// Export flags shared by `stir animate` and `stir demo`, mapped onto the contract's startExport params
// (src/shared/contract/export.ts: a preset fills defaults, explicit flags win).
import {
  EXPORT_PRESETS,
  ExportFormatSchema,
  ExportMatteSchema,
  ExportPresetIdSchema,
  StirError,
  type StartExportParams,
} from '../shared/index.js';

export const EXPORT_ARG_OPTIONS = {
  preset: { type: 'string' },
  format: { type: 'string' },
  quality: { type: 'string' },
  'long-side': { type: 'string' },
  loops: { type: 'string' },
  pingpong: { type: 'boolean' },
  matte: { type: 'string' },
  'no-overwrite': { type: 'boolean' },
} as const;

export const EXPORT_USAGE = `Export:
  --preset ID       ${EXPORT_PRESETS.map((p) => `${p.id} ("${p.name}")`).join('\n                    ')}
  --format FORMAT   ${ExportFormatSchema.options.join(' | ')} (default mp4-h264)
  --quality Q       1-100 for lossy formats (default 80)
  --long-side N     scale the clip so its long side is N pixels (default: the photo's size)
  --loops N         times the clip plays; 0 = forever (GIF, WebP, APNG)
  --pingpong        play forward then backward
  --matte MODE      none | alpha (only the moving parts, formats with alpha) | separate (a black-and-white clip beside)
  --no-overwrite    refuse to replace an existing file`;

export interface ExportArgs {
  preset?: string;
  format?: string;
  quality?: string;
  'long-side'?: string;
  loops?: string;
  pingpong?: boolean;
  matte?: string;
  'no-overwrite'?: boolean;
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StirError('BAD_REQUEST', `--${flag} "${text}" must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

function oneOf<T extends string>(flag: string, text: string, options: readonly T[]): T {
  if ((options as readonly string[]).includes(text)) return text as T;
  throw new StirError('BAD_REQUEST', `--${flag} "${text}" is not one Stir knows.`, {
    hint: `Use one of: ${options.join(', ')}.`,
  });
}

export function exportOptionsFromArgs(values: ExportArgs): Omit<StartExportParams, 'docId' | 'path'> {
  const options: Omit<StartExportParams, 'docId' | 'path'> = {};
  if (values.preset !== undefined)
    options.preset = oneOf('preset', values.preset, ExportPresetIdSchema.options);
  if (values.format !== undefined)
    options.format = oneOf('format', values.format, ExportFormatSchema.options);
  if (values.quality !== undefined) options.quality = wholeNumber('quality', values.quality, 1, 100);
  if (values['long-side'] !== undefined)
    options.longSide = wholeNumber('long-side', values['long-side'], 16, 8192);
  if (values.loops !== undefined) options.loops = wholeNumber('loops', values.loops, 0, 100);
  if (values.pingpong) options.pingPong = true;
  if (values.matte !== undefined) options.matte = oneOf('matte', values.matte, ExportMatteSchema.options);
  if (values['no-overwrite']) options.overwrite = false;
  return options;
}

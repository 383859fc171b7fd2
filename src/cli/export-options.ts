// Export flags shared by `stir animate` and `stir demo`, mapped onto the contract's startExport params.
import { ExportFormatSchema, StirError, type StartExportParams } from '../shared/index.js';

export const EXPORT_ARG_OPTIONS = {
  format: { type: 'string' },
  'long-side': { type: 'string' },
} as const;

export const EXPORT_USAGE = `  --format FORMAT   ${ExportFormatSchema.options.join(' | ')} (default mp4-h264)
  --long-side N     scale the clip so its long side is N pixels (default: the photo's size)`;

type ExportArgs = { format?: string; 'long-side'?: string };

export function exportOptionsFromArgs(values: ExportArgs): Omit<StartExportParams, 'docId' | 'path'> {
  const options: Omit<StartExportParams, 'docId' | 'path'> = {};
  if (values.format !== undefined) {
    const parsed = ExportFormatSchema.safeParse(values.format);
    if (!parsed.success) {
      throw new StirError('BAD_REQUEST', `--format "${values.format}" is not a format Stir writes.`, {
        hint: `Use one of: ${ExportFormatSchema.options.join(', ')}.`,
      });
    }
    options.format = parsed.data;
  }
  if (values['long-side'] !== undefined) {
    const longSide = Number(values['long-side']);
    if (!Number.isInteger(longSide) || longSide < 16)
      throw new StirError(
        'BAD_REQUEST',
        `--long-side "${values['long-side']}" must be a whole number of pixels, 16 or more.`,
      );
    options.longSide = longSide;
  }
  return options;
}

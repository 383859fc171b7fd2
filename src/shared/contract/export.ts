import { z } from 'zod';
import { method } from './define.js';
import { JobStartedSchema } from './jobs.js';

export const ExportFormatSchema = z.enum(['mp4-h264']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const StartExportParamsSchema = z.object({
  docId: z.string(),
  format: ExportFormatSchema.default('mp4-h264'),
  /** Where to write; null writes into the default export folder under a name made from the photo's. */
  path: z.string().min(1).nullable().default(null),
  /** Long side of the clip in pixels; null keeps the photo's full size. */
  longSide: z.int().min(16).max(8192).nullable().default(null),
  /** Replace a file already at the path. */
  overwrite: z.boolean().default(true),
});
export type StartExportParams = z.input<typeof StartExportParamsSchema>;

export const ExportResultSchema = z.object({
  path: z.string(),
  bytes: z.int().min(0),
  format: ExportFormatSchema,
  width: z.int().positive(),
  height: z.int().positive(),
  frameCount: z.int().positive(),
  fps: z.number().positive(),
  millis: z.number().min(0),
  /** In browser mode: a URL on the local server that downloads the file. */
  downloadUrl: z.string().nullable(),
});
export type ExportResult = z.infer<typeof ExportResultSchema>;

export const exportMethods = {
  startExport: method(
    StartExportParamsSchema,
    JobStartedSchema,
    'Renders the document at full (or the chosen) size and encodes it; the file appears only when complete.',
  ),
};

import { z } from 'zod';
import { method } from './define.js';
import { AnimationSettingsSchema, RegionSchema, BytesSchema } from '../model.js';

export const PhotoSourceSchema = z.discriminatedUnion('kind', [
  /** A file the engine reads itself (Electron's open dialog, the CLI, a path typed in browser mode). */
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  /** The file's bytes (drag-and-drop, a file input in the browser). */
  z.object({
    kind: z.literal('bytes'),
    name: z.string().min(1).max(255),
    bytes: BytesSchema,
  }),
]);
export type PhotoSource = z.infer<typeof PhotoSourceSchema>;

export const PhotoDocumentSchema = z.object({
  docId: z.string(),
  /** The photo's file name, for titles and default output names. */
  name: z.string(),
  /** Size after EXIF orientation is applied: the size every mask and click refers to. */
  width: z.int().positive(),
  height: z.int().positive(),
  /** Format of the source file: jpeg, png, webp. */
  format: z.string(),
  /** The oriented photo, encoded for display (PNG or JPEG bytes). */
  image: BytesSchema,
  imageMime: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  regions: z.array(RegionSchema),
  settings: AnimationSettingsSchema,
  /**
   * The photo's own size when it was larger than Stir works at (LIMITS.photoLongSideMax on the long side)
   * and opened scaled down to `width` x `height`; null when it opened at its size.
   */
  scaledFrom: z.object({ width: z.int().positive(), height: z.int().positive() }).nullable(),
});
export type PhotoDocument = z.infer<typeof PhotoDocumentSchema>;

export const photoMethods = {
  openPhoto: method(
    z.object({ source: PhotoSourceSchema }),
    PhotoDocumentSchema,
    'Opens a JPEG, PNG or WebP photo (EXIF orientation applied) as a new document with no regions.',
  ),
  closeDocument: method(
    z.object({ docId: z.string() }),
    z.object({ closed: z.boolean() }),
    'Forgets a document and everything cached for it.',
  ),
};

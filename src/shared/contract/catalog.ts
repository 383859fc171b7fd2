// The catalog of known model packs (resources/models/, shipped with the app): what each pack is, its
// licence, the public checkpoints it is exported from, the exporter command that writes it, and the files
// and sizes it will have; each entry says which installed packs are it. Stir publishes no weights: a
// person runs the exporter (tools/export-pack) and installs the folder it writes.
import { z } from 'zod';
import { method } from './define.js';
import { PackCapabilitySchema } from './models.js';

export const CatalogSourceSchema = z.object({
  /** The checkpoint or repository, as its publisher names it. */
  name: z.string().min(1),
  url: z.url(),
  license: z.string().min(1),
  /** Download size, approximate. */
  approxBytes: z.int().nonnegative().optional(),
});
export type CatalogSource = z.infer<typeof CatalogSourceSchema>;

export const CatalogVariantSchema = z.object({
  /** The id the exporter writes into the pack's manifest: how an installed pack is matched to its entry. */
  packId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  precision: z.enum(['fp32', 'fp16']),
  /** The exporter command, run from a Stir checkout (tools/export-pack/README.md). */
  command: z.string().min(1),
  /** The pack's files and their approximate sizes (parameter count x bytes per weight). */
  files: z.array(z.object({ path: z.string().min(1), approxBytes: z.int().nonnegative() })).min(1),
});
export type CatalogVariant = z.infer<typeof CatalogVariantSchema>;

export const CatalogEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  name: z.string().min(1),
  /** What it is and what it gives, in a sentence or two. */
  summary: z.string().min(1),
  capabilities: z.array(PackCapabilitySchema).min(1),
  /** The licences that bind the exported pack (every source model's). */
  license: z.string().min(1),
  sources: z.array(CatalogSourceSchema).min(1),
  /** How to get it, in steps a person follows: download, export, install. */
  howToGet: z.array(z.string().min(1)).min(1),
  /** What the export needs: software, disk, memory (GPU memory for fp16). */
  needs: z.string().min(1),
  variants: z.array(CatalogVariantSchema).min(1),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export const CatalogListingSchema = z.object({
  entries: z.array(
    CatalogEntrySchema.extend({
      /** Installed packs that are this entry (matched by the variants' pack ids). */
      installed: z.array(z.string()),
    }),
  ),
  /** Installed packs no entry knows (made by their authors, or renamed). */
  unknownInstalled: z.array(z.string()),
});
export type CatalogListing = z.infer<typeof CatalogListingSchema>;

export const catalogMethods = {
  listCatalog: method(
    z.object({}).default({}),
    CatalogListingSchema,
    'The known model packs (resources/models): what each is, its licence and sources, how to get it, and which installed packs are it.',
  ),
};

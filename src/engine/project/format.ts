// The layout of a .stir project: a zip holding project.json (this schema), the photo as it was displayed
// (oriented, so no EXIF step is needed on load) and one greyscale PNG per region mask.
//
// Versioning: `version` counts breaking changes of project.json. Fields added later carry defaults in the
// schema, so an older file of the same version still loads; a breaking change adds a step to MIGRATIONS
// that rewrites the previous version's JSON. A file from a newer Stir is refused with a clear message.
import { z } from 'zod';
import {
  AnimationSettingsSchema,
  BoxSchema,
  ClickSchema,
  PoseSchema,
  RegionMotionSchema,
  StirError,
} from '../../shared/index.js';

export const PROJECT_FORMAT = 'stir-project';
export const PROJECT_VERSION = 1;
export const MANIFEST_FILE = 'project.json';

const MaskRefSchema = z.object({
  file: z.string().min(1),
  width: z.int().positive(),
  height: z.int().positive(),
});

const StoredRegionSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(80),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  visible: z.boolean().default(true),
  clicks: z.array(ClickSchema).default([]),
  box: BoxSchema.nullable().default(null),
  mask: MaskRefSchema,
  motion: RegionMotionSchema,
  pose: PoseSchema.nullable().default(null),
});
export type StoredRegion = z.infer<typeof StoredRegionSchema>;

export const ProjectManifestSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  savedAt: z.string(),
  /** The photo's file name when it was opened, for titles and default output names. */
  name: z.string().min(1),
  photo: z.object({
    file: z.string().min(1),
    mime: z.enum(['image/png', 'image/jpeg', 'image/webp']),
    /** Format of the photo the person opened (jpeg, png, webp). */
    format: z.string(),
    width: z.int().positive(),
    height: z.int().positive(),
  }),
  settings: AnimationSettingsSchema,
  /** Regions ever made in this project, so new ones get fresh names and colours. */
  regionsMade: z.int().min(0).default(0),
  regions: z.array(StoredRegionSchema),
});
export type ProjectManifest = z.infer<typeof ProjectManifestSchema>;

/** Steps from version n (the index) to n + 1. Version 1 is the first, so there are none yet. */
const MIGRATIONS: ReadonlyArray<(raw: Record<string, unknown>) => Record<string, unknown>> = [];
const FIRST_VERSION = PROJECT_VERSION - MIGRATIONS.length;

/** Checks project.json, brings an older version up to date, and fills fields added since with defaults. */
export function readManifest(raw: unknown, what: string): ProjectManifest {
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== PROJECT_FORMAT) {
    throw new StirError(
      'PROJECT_INVALID',
      `${what} is not a Stir project: its project.json is missing or foreign.`,
      {
        hint: 'Open a .stir file saved by Stir.',
      },
    );
  }
  let json = raw as Record<string, unknown>;
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < FIRST_VERSION) {
    throw new StirError('PROJECT_INVALID', `${what} has an unknown project version (${String(version)}).`);
  }
  if (version > PROJECT_VERSION) {
    throw new StirError(
      'PROJECT_INVALID',
      `${what} was saved by a newer Stir (project version ${version}; this Stir reads up to ${PROJECT_VERSION}).`,
      { hint: 'Update Stir to open it.' },
    );
  }
  for (let v = version; v < PROJECT_VERSION; v++) {
    const step = MIGRATIONS[v - FIRST_VERSION];
    if (step) json = { ...step(json), version: v + 1 };
  }
  const parsed = ProjectManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new StirError(
      'PROJECT_INVALID',
      `${what} is damaged: project.json ${where ? `has a bad ${where}` : 'does not read'}${issue ? ` (${issue.message})` : ''}.`,
      {
        details: { issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
      },
    );
  }
  return parsed.data;
}

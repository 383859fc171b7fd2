// Projects: what a person made, kept in one `.stir` file (the photo, the regions with their masks, the
// animation settings), written atomically; autosaved copies for recovery after a crash; recent projects;
// and replacing a document's whole state at once, which undo and redo use.
import { z } from 'zod';
import { method } from './define.js';
import { AnimationSettingsSchema, BytesSchema, RegionSchema } from '../model.js';
import { PhotoDocumentSchema } from './photo.js';

export const PROJECT_EXTENSION = '.stir';

export const ProjectSourceSchema = z.discriminatedUnion('kind', [
  /** A file the engine reads itself (Electron's open dialog, a recent project, a path typed in browser mode). */
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  /** The file's bytes (drag-and-drop or a file input in the browser). */
  z.object({ kind: z.literal('bytes'), name: z.string().min(1).max(255), bytes: BytesSchema }),
]);
export type ProjectSource = z.infer<typeof ProjectSourceSchema>;

export const ProjectOpenedSchema = z.object({
  /** The project as a new open document, regions and settings restored. */
  document: PhotoDocumentSchema,
  /** Where the project lives, so Save writes back there; null when it came as bytes. */
  path: z.string().nullable(),
});
export type ProjectOpened = z.infer<typeof ProjectOpenedSchema>;

export const ProjectSavedSchema = z.object({
  path: z.string(),
  bytes: z.int().min(0),
  /** ISO 8601 time of the save. */
  savedAt: z.string(),
  /** In browser mode: a URL on the local server that downloads the project file. */
  downloadUrl: z.string().nullable(),
});
export type ProjectSaved = z.infer<typeof ProjectSavedSchema>;

export const DocumentStateSchema = z.object({
  regions: z.array(RegionSchema),
  settings: AnimationSettingsSchema,
});
export type DocumentState = z.infer<typeof DocumentStateSchema>;

/** An autosaved copy of a document that was never saved or closed cleanly. */
export const RecoverySchema = z.object({
  id: z.string(),
  /** The photo's (or project's) name. */
  name: z.string(),
  /** The project file it was opened from or last saved to, if any. */
  projectPath: z.string().nullable(),
  savedAt: z.string(),
  regionCount: z.int().min(0),
});
export type Recovery = z.infer<typeof RecoverySchema>;

export const RecentProjectSchema = z.object({
  path: z.string(),
  name: z.string(),
  savedAt: z.string(),
  /** False when the file has been moved or deleted since. */
  exists: z.boolean(),
});
export type RecentProject = z.infer<typeof RecentProjectSchema>;

export const projectMethods = {
  saveProject: method(
    z.object({
      docId: z.string(),
      /** Where to write (".stir" is added when missing); null writes a new file in the projects folder. */
      path: z.string().min(1).nullable().default(null),
    }),
    ProjectSavedSchema,
    'Saves a document as a .stir project (photo, regions with masks, settings), written to a temporary name and renamed.',
  ),
  openProject: method(
    z.object({ source: ProjectSourceSchema }),
    ProjectOpenedSchema,
    'Opens a .stir project as a new document (older project versions are migrated).',
  ),
  setDocumentState: method(
    z.object({
      docId: z.string(),
      regions: z.array(RegionSchema).max(64),
      settings: AnimationSettingsSchema,
    }),
    DocumentStateSchema,
    "Replaces a document's regions and settings at once (undo, redo).",
  ),
  autosaveProject: method(
    z.object({ docId: z.string(), projectPath: z.string().nullable().default(null) }),
    z.object({ savedAt: z.string() }),
    'Writes a recovery copy of a document, offered again if Stir stops before the work is saved.',
  ),
  listRecoveries: method(
    z.object({}).default({}),
    z.array(RecoverySchema),
    'Autosaved documents left by a session that ended before they were saved, newest first.',
  ),
  recoverProject: method(
    z.object({ id: z.string() }),
    ProjectOpenedSchema,
    'Opens an autosaved document as a new document.',
  ),
  discardRecovery: method(
    z.object({ id: z.string() }),
    z.object({ discarded: z.boolean() }),
    'Deletes an autosaved copy (after a save, a clean close, or when the person declines recovery).',
  ),
  listRecentProjects: method(
    z.object({}).default({}),
    z.array(RecentProjectSchema),
    'Projects saved or opened lately, newest first.',
  ),
  forgetRecentProject: method(
    z.object({ path: z.string() }),
    z.object({ forgotten: z.boolean() }),
    'Removes a project from the recent list (the file stays).',
  ),
};

// The projects area of the engine service: save and open .stir files, replace a document's state (undo and
// redo), autosave and recovery, recent projects. Merged with the other areas in create-service.ts.
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import {
  LIMITS,
  PROJECT_EXTENSION,
  StirError,
  type ParamsOut,
  type Region,
  type ResultOf,
  type StirService,
} from '../../shared/index.js';
import { decodePhoto } from '../image/decode.js';
import { readBoundedFile } from '../image/read-file.js';
import type { DocumentStore, EngineDocument } from '../documents.js';
import { decodeProject, encodeProject, type DisplayMime, type ProjectContent } from './codec.js';
import { writeFileAtomic } from './atomic-write.js';
import { RecentProjects } from './recent.js';
import { RecoveryStore } from './recovery.js';
import type { FolderMemory, ProjectsPorts } from '../ports.js';

type P<M extends keyof StirService> = ParamsOut<M>;
type R<M extends keyof StirService> = Promise<ResultOf<M>>;

export type ProjectMethod =
  | 'saveProject'
  | 'openProject'
  | 'setDocumentState'
  | 'autosaveProject'
  | 'listRecoveries'
  | 'recoverProject'
  | 'discardRecovery'
  | 'listRecentProjects'
  | 'forgetRecentProject';

export interface ProjectServiceOptions {
  docs: DocumentStore;
  /** The data and projects folders; null when the engine was started without them (some tests). */
  ports: ProjectsPorts | null;
  /** Browser mode: a URL that downloads a saved project. */
  publishDownload?: (path: string) => string | null;
  /** Told the folder before each save, so a save cut short by a crash is swept at the next start. */
  writtenFolders?: FolderMemory;
}

export class ProjectService implements Pick<StirService, ProjectMethod> {
  readonly #docs: DocumentStore;
  readonly #projectsDir: string | null;
  readonly #publishDownload: ((path: string) => string | null) | undefined;
  readonly #recent: RecentProjects | null;
  readonly #recovery: RecoveryStore | null;
  readonly #writtenFolders: FolderMemory | undefined;

  constructor(options: ProjectServiceOptions) {
    this.#docs = options.docs;
    this.#writtenFolders = options.writtenFolders;
    this.#publishDownload = options.publishDownload;
    const { ports } = options;
    this.#projectsDir = ports?.projectsDir ?? null;
    this.#recent = ports ? new RecentProjects(join(ports.dataDir, 'recent-projects.json')) : null;
    this.#recovery = ports ? new RecoveryStore(join(ports.dataDir, 'recovery')) : null;
  }

  async saveProject(params: P<'saveProject'>): R<'saveProject'> {
    const doc = this.#docs.get(params.docId);
    const path = params.path === null ? await this.#freshPath(doc.name) : withExtension(resolve(params.path));
    const savedAt = new Date();
    const bytes = await encodeProject(contentOf(doc), savedAt);
    await this.#writtenFolders?.remember(dirname(path));
    await writeFileAtomic(path, bytes);
    await this.#recent?.add({
      path,
      name: basename(path, PROJECT_EXTENSION),
      savedAt: savedAt.toISOString(),
    });
    // The work is on disk now: its recovery copy has done its job.
    await this.#recovery?.discard(doc.id);
    return {
      path,
      bytes: bytes.length,
      savedAt: savedAt.toISOString(),
      downloadUrl: this.#publishDownload?.(path) ?? null,
    };
  }

  async openProject(params: P<'openProject'>): R<'openProject'> {
    const { source } = params;
    const what = source.kind === 'path' ? basename(source.path) : source.name;
    const bytes = source.kind === 'path' ? await readProjectFile(source.path) : source.bytes;
    const doc = await this.#open(await decodeProject(bytes, what), what);
    if (source.kind === 'path') {
      const path = resolve(source.path);
      await this.#recent?.add({
        path,
        name: basename(path, PROJECT_EXTENSION),
        savedAt: new Date().toISOString(),
      });
      return { document: describe(doc), path };
    }
    return { document: describe(doc), path: null };
  }

  async setDocumentState(params: P<'setDocumentState'>): R<'setDocumentState'> {
    const doc = this.#docs.get(params.docId);
    checkRegions(params.regions, doc);
    doc.regions = params.regions;
    doc.settings = params.settings;
    doc.regionsMade = Math.max(doc.regionsMade, params.regions.length);
    return { regions: doc.regions, settings: doc.settings };
  }

  async autosaveProject(params: P<'autosaveProject'>): R<'autosaveProject'> {
    const doc = this.#docs.get(params.docId);
    const savedAt = new Date();
    const bytes = await encodeProject(contentOf(doc), savedAt);
    await this.#recoveries().write(
      {
        id: doc.id,
        name: doc.name,
        projectPath: params.projectPath,
        savedAt: savedAt.toISOString(),
        regionCount: doc.regions.length,
      },
      bytes,
    );
    return { savedAt: savedAt.toISOString() };
  }

  async listRecoveries(_params: P<'listRecoveries'>): R<'listRecoveries'> {
    return this.#recovery?.list() ?? [];
  }

  async recoverProject(params: P<'recoverProject'>): R<'recoverProject'> {
    const recovery = this.#recoveries();
    const { meta, project } = await recovery.read(params.id);
    const doc = await this.#open(await decodeProject(project, meta.name), meta.name);
    // Still unsaved: the copy now belongs to the reopened document, until it is saved or discarded.
    await recovery.rekey(meta.id, doc.id);
    return { document: describe(doc), path: meta.projectPath };
  }

  async discardRecovery(params: P<'discardRecovery'>): R<'discardRecovery'> {
    return { discarded: (await this.#recovery?.discard(params.id)) ?? false };
  }

  async listRecentProjects(_params: P<'listRecentProjects'>): R<'listRecentProjects'> {
    return this.#recent?.list() ?? [];
  }

  async forgetRecentProject(params: P<'forgetRecentProject'>): R<'forgetRecentProject'> {
    return { forgotten: (await this.#recent?.forget(params.path)) ?? false };
  }

  async #open(content: ProjectContent, what: string): Promise<EngineDocument> {
    const decoded = await decodePhoto({ kind: 'bytes', name: content.name, bytes: content.photo.bytes });
    if (decoded.image.width !== content.photo.width || decoded.image.height !== content.photo.height) {
      throw new StirError(
        'PROJECT_INVALID',
        `${what} is damaged: its photo is not the size its regions were made for.`,
      );
    }
    const doc = this.#docs.add({
      name: content.name,
      format: content.format,
      photo: decoded.image,
      display: { bytes: content.photo.bytes, mime: content.photo.mime },
    });
    doc.regions = content.regions;
    doc.settings = content.settings;
    doc.regionsMade = content.regionsMade;
    return doc;
  }

  #recoveries(): RecoveryStore {
    if (!this.#recovery) throw noDataFolder('autosave');
    return this.#recovery;
  }

  /** A new file in the projects folder named after the photo, never replacing one already there. */
  async #freshPath(name: string): Promise<string> {
    if (this.#projectsDir === null) throw noDataFolder('save a project without a path');
    await mkdir(this.#projectsDir, { recursive: true });
    const base = basename(name, extname(name)) || 'project';
    for (let n = 1; ; n++) {
      const path = join(this.#projectsDir, `${base}${n === 1 ? '' : `-${n}`}${PROJECT_EXTENSION}`);
      if (!(await stat(path).catch(() => null))) return path;
    }
  }
}

function noDataFolder(what: string): StirError {
  return new StirError(
    'BAD_REQUEST',
    `This engine was started without a data folder, so it cannot ${what}.`,
    {
      hint: 'Start Stir through the app, `stir web` or createEngine, which set one up.',
    },
  );
}

function contentOf(doc: EngineDocument): ProjectContent {
  return {
    name: doc.name,
    format: doc.format,
    photo: {
      bytes: doc.display.bytes,
      mime: doc.display.mime as DisplayMime,
      width: doc.photo.width,
      height: doc.photo.height,
    },
    regions: doc.regions,
    settings: doc.settings,
    regionsMade: doc.regionsMade,
  };
}

function describe(doc: EngineDocument): ResultOf<'openPhoto'> {
  return {
    docId: doc.id,
    name: doc.name,
    width: doc.photo.width,
    height: doc.photo.height,
    format: doc.format,
    image: doc.display.bytes,
    imageMime: doc.display.mime,
    regions: doc.regions,
    settings: doc.settings,
    // A project holds the photo at the size it was worked on: nothing is scaled when it opens.
    scaledFrom: null,
  };
}

function withExtension(path: string): string {
  return extname(path).toLowerCase() === PROJECT_EXTENSION ? path : `${path}${PROJECT_EXTENSION}`;
}

/** A project holds one photo (up to LIMITS.photoBytesMax) and up to 16 masks, most of them small. */
const PROJECT_BYTES_MAX = 768 * 1024 * 1024;

async function readProjectFile(path: string): Promise<Uint8Array> {
  return readBoundedFile(path, {
    maxBytes: PROJECT_BYTES_MAX,
    kind: 'a Stir project',
    refusalCode: 'PROJECT_INVALID',
    hint: 'Open a .stir file saved by Stir.',
  });
}

function checkRegions(regions: readonly Region[], doc: EngineDocument): void {
  if (regions.length > LIMITS.regionsMax) {
    throw new StirError('BAD_REQUEST', `A photo can have at most ${LIMITS.regionsMax} regions.`);
  }
  const ids = new Set<string>();
  for (const region of regions) {
    if (ids.has(region.id)) throw new StirError('BAD_REQUEST', `Two regions share the id ${region.id}.`);
    ids.add(region.id);
    if (region.mask.width !== doc.photo.width || region.mask.height !== doc.photo.height) {
      throw new StirError(
        'BAD_REQUEST',
        `A region mask must be the photo's size (${doc.photo.width}x${doc.photo.height}), not ${region.mask.width}x${region.mask.height}.`,
      );
    }
  }
}

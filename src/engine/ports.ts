// What the engine service needs from its parts. Each is passed in (ARCHITECTURE.md: dependencies are
// passed in, not reached for), so tests can give small real ones and the CLI, the browser mode and the
// Electron engine host give the full set (see create-engine.ts).
import type {
  AnimationSettings,
  DoctorReport,
  EngineId,
  EngineInfo,
  ExportFormat,
  ExportMatte,
  Mask,
  MotionInfo,
  MotionResolution,
} from '../shared/index.js';
import type { Animation, AnimationEngine, JobControl, RegionSpec } from './render/types.js';
import type { Segmenter } from './segment/types.js';
import type { RgbaImage } from './image/types.js';
import type { PeopleDetector } from './people/detector.js';

/** The motion lexicon: what words mean, for suggestions and for checking a request before it runs. */
export interface MotionVocabulary {
  list(): MotionInfo[];
  resolve(prompt: string, engine: EngineId): MotionResolution;
}

/** Gives the animation engine that fits the settings (the built-in one, or diffusion with a pack). */
export interface EngineProvider {
  get(settings: AnimationSettings): Promise<AnimationEngine>;
  /** Checks that the engine can animate these regions; throws a StirError that names the region if not. */
  check(settings: AnimationSettings, regions: readonly RegionSpec[]): void;
  list(): Promise<EngineInfo[]>;
}

/** Gives the segmenter to use now: SAM when an installed pack has one, else the classic segmenter. */
export interface SegmenterProvider {
  /** `packId`: the document's chosen pack (an installed id or a folder's path), whose SAM comes first. */
  get(packId?: string | null): Promise<Segmenter>;
  /** Drops per-photo caches in every segmenter. */
  forget(photoKey: string): void;
  /** Per-photo work done ahead of the first click (the classic segmenter's superpixels and guide). */
  prepare?(photo: RgbaImage, photoKey: string): Promise<void>;
  /** The outline under the pointer (the classic segmenter's superpixels, whatever answers clicks). */
  hover?(photo: RgbaImage, photoKey: string, point: { x: number; y: number }): Promise<Mask>;
}

export interface ExportRequest {
  format: ExportFormat;
  /** Final path; the encoder writes a temporary name beside it and renames when complete. */
  path: string;
  overwrite: boolean;
  /** 1-100, for lossy codecs (H.264, H.265, VP9, WebP); 75 when left out. */
  quality?: number;
  /** Plays (GIF, WebP, APNG: stored in the file, 0 forever) or repeats of the clip in the file (others). */
  loops?: number;
  /** Forward then backward in the file. */
  pingPong?: boolean;
  /** The regions' mattes as the alpha channel or as a separate black-and-white clip; 'none' when left out. */
  matte?: ExportMatte;
  /** The regions' masks (any size, usually the photo's); the matte is their union at the clip's size. */
  mattes?: readonly Mask[];
}

/** What an export wrote; the optional fields are the file's own, where they differ from the animation's. */
export interface ExportWritten {
  path: string;
  bytes: number;
  width?: number;
  height?: number;
  frameCount?: number;
  fps?: number;
  mattePath?: string | null;
}

export interface ClipExporter {
  /** The file extension (with the dot) of a format, for default output names. */
  extension(format: ExportFormat): string;
  export(animation: Animation, request: ExportRequest, control: JobControl): Promise<ExportWritten>;
}

/** Model packs (src/engine/models/install): where they live and where the chosen device is remembered. */
export interface ModelsPorts {
  /** One folder per installed pack; installs stage and download inside it and write nowhere else. */
  dir: string;
  /** A small JSON file remembering the chosen execution provider. */
  settingsPath: string;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read for downloads (process.env when left out). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Browser mode: refuses an address (this machine, a private network) before a download reaches it, for
   * every hop of an install whose source the person did not type. Left out: any address may be reached.
   */
  checkRemoteAddress?: (url: URL) => Promise<void>;
}

export interface EnginePorts {
  vocabulary: MotionVocabulary;
  engines: EngineProvider;
  segmenters: SegmenterProvider;
  exporter: ClipExporter;
  doctor(): Promise<DoctorReport>;
  /** Folder for exports that name no path (browser mode, "Export" without a dialog). */
  exportDir: string;
  /** Browser mode: a URL that downloads a finished export; null elsewhere. */
  publishDownload?(path: string): string | null;
  /** Model packs and devices; without it the model methods answer that no models folder is set up. */
  models?: ModelsPorts;
  /** The catalog of known packs (resources/models); found next to the app or the checkout when left out. */
  catalogDir?: string | null;
  /** Projects: the recent list and autosaves; without it those answer that no data folder is set up. */
  projects?: ProjectsPorts;
  /** Remembers the folders saves and exports write to, for the next start's sweep of temporary files. */
  writtenFolders?: FolderMemory;
  /** Faces and bodies on a photo (src/engine/people); without it people are not recognised. */
  people?: PeopleDetector;
}

/** Where Stir wrote (system/leftovers.ts): told before each save or export; never fails. */
export interface FolderMemory {
  remember(folder: string): Promise<void>;
}

/** Projects (src/engine/project): where per-user project data lives. */
export interface ProjectsPorts {
  /** Per-user data: recent-projects.json and recovery/ (autosaves). */
  dataDir: string;
  /** Where "Save" without a path writes a new project (browser mode). */
  projectsDir: string;
}

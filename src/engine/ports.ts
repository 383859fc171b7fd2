// What the engine service needs from its parts. Each is passed in (ARCHITECTURE.md: dependencies are
// passed in, not reached for), so tests can give small real ones and the CLI, the browser mode and the
// Electron engine host give the full set (see create-engine.ts).
import type {
  AnimationSettings,
  DoctorReport,
  EngineId,
  EngineInfo,
  ExportFormat,
  MotionInfo,
  MotionResolution,
} from '../shared/index.js';
import type { Animation, AnimationEngine, JobControl, RegionSpec } from './render/types.js';
import type { Segmenter } from './segment/types.js';

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
  get(): Promise<Segmenter>;
  /** Drops per-photo caches in every segmenter. */
  forget(photoKey: string): void;
}

export interface ExportRequest {
  format: ExportFormat;
  /** Final path; the encoder writes a temporary name beside it and renames when complete. */
  path: string;
  overwrite: boolean;
}

export interface ClipExporter {
  /** The file extension (with the dot) of a format, for default output names. */
  extension(format: ExportFormat): string;
  export(
    animation: Animation,
    request: ExportRequest,
    control: JobControl,
  ): Promise<{ path: string; bytes: number }>;
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
}

// Wires the engine's parts together: the one place that knows which segmenter, animation engines,
// exporter and probes Stir uses. The CLI, the browser mode and the Electron engine host call this.
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import sharp from 'sharp';
import { createService, type EngineHandle } from './create-service.js';
import type { EnginePorts } from './ports.js';
import { createMotionEngine, checkMotionRegions, motionVocabulary } from './motion/index.js';
import { createClassicSegmenter } from './segment/classic/classic-segmenter.js';
import { createSegmenterProvider } from './segment/provider.js';
import { findSamSegmenter, type SamSegmenter } from './segment/sam/index.js';
import { openCvVersion } from './segment/opencv.js';
import { createClipExporter, locateFfmpeg, locateFfprobe } from './export/index.js';
import { listExecutionProviders } from './models/providers.js';
import { PackStore } from './models/install/pack-store.js';
import { readProviderPreference } from './models/install/devices.js';
import { DefaultEngineProvider } from './render/engine-provider.js';
import { runDoctor } from './system/doctor.js';
import { sweepLeftovers, WrittenFolders } from './system/leftovers.js';
import { RecentProjects } from './project/recent.js';
import { createPeopleDetector } from './people/detector.js';

export type { EngineHandle } from './create-service.js';

export interface EngineOptions {
  /** Where exports without a path go (default: the Videos folder). */
  exportDir?: string;
  /** Per-user data: installed model packs, settings, autosave (default: the platform's app-data folder). */
  dataDir?: string;
  /** The bundled motion worker (the Electron build); the source worker otherwise. */
  motionWorkerUrl?: string;
  /** The bundled people-detection worker (the Electron build); the source worker otherwise. */
  peopleWorkerUrl?: string;
  /** Render worker threads (default: one per core). */
  workers?: number;
  /** Browser mode: a URL that downloads a finished export. */
  publishDownload?: (path: string) => string | null;
  /** Renders and exports that run at once; the rest wait in line (default: DEFAULT_JOB_SLOTS). */
  jobSlots?: number;
  /** Browser mode: refuses addresses a pack install whose source the person did not type may not reach. */
  checkRemoteAddress?: (url: URL) => Promise<void>;
}

export function defaultDataDir(): string {
  if (process.env.STIR_DATA_DIR) return process.env.STIR_DATA_DIR;
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Stir');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Stir');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'stir');
}

export function defaultExportDir(): string {
  return process.env.STIR_EXPORT_DIR ?? join(homedir(), 'Videos');
}

/** Where saves without a path go: "Stir projects" beside the export folder. */
export function projectsDirFor(exportDir: string): string {
  return join(exportDir, '..', 'Stir projects');
}

export function createEngine(options: EngineOptions = {}): EngineHandle {
  const dataDir = options.dataDir ?? defaultDataDir();
  const models = {
    dir: join(dataDir, 'models'),
    settingsPath: join(dataDir, 'settings', 'models.json'),
    checkRemoteAddress: options.checkRemoteAddress,
  };
  const packStore = new PackStore(models.dir);
  const device = () => readProviderPreference(models.settingsPath);

  const people = createPeopleDetector({
    workerUrl: options.peopleWorkerUrl ? new URL(options.peopleWorkerUrl) : undefined,
  });
  const motion = createMotionEngine({
    people,
    workers: options.workers,
    workerUrl: options.motionWorkerUrl ? new URL(options.motionWorkerUrl) : undefined,
  });
  const engines = new DefaultEngineProvider({
    motion,
    checkMotionRegions,
    packs: () => packStore.list(),
    device,
  });

  // SAM from the chosen pack (an installed id, or a folder given with `--pack`) when it can segment, else
  // from the first installed pack that can; each folder is loaded once, and again after packs change.
  const samByDir = new Map<string, Promise<SamSegmenter | null>>();
  const samOf = async (dir: string) => {
    let found = samByDir.get(dir);
    if (!found) {
      found = device().then((provider) => findSamSegmenter([dir], { provider }));
      samByDir.set(dir, found);
    }
    return found;
  };
  const findSam = async (packId: string | null) => {
    const installed = (await packStore.list()).filter((p) => p.status === 'ready');
    const chosen =
      packId === null
        ? []
        : isAbsolute(packId)
          ? [packId]
          : installed.filter((p) => p.id === packId).map((p) => p.dir);
    for (const dir of new Set([...chosen, ...installed.map((p) => p.dir)])) {
      const sam = await samOf(dir);
      if (sam) return sam;
    }
    return null;
  };
  const segmenters = createSegmenterProvider({
    classic: createClassicSegmenter(),
    sam: (packId) => findSam(packId),
    people,
  });

  const exportDir = options.exportDir ?? defaultExportDir();
  const projects = { dataDir, projectsDir: projectsDirFor(exportDir) };
  const writtenFolders = new WrittenFolders(join(dataDir, 'written-folders.json'));

  const ports: EnginePorts = {
    vocabulary: motionVocabulary,
    engines,
    segmenters,
    exporter: createClipExporter(),
    doctor: () =>
      runDoctor({
        ffmpeg: () => locateFfmpeg(),
        ffprobe: () => locateFfprobe(),
        onnxruntime: async () => {
          const ort = await import('onnxruntime-node');
          const providers = listExecutionProviders()
            .filter((p) => p.available)
            .map((p) => p.id);
          return { version: ort.env.versions.node ?? 'unknown', providers };
        },
        opencv: () => openCvVersion(),
        sharp: async () => sharp.versions.vips,
      }),
    exportDir,
    publishDownload: options.publishDownload,
    models,
    people,
    projects,
    writtenFolders,
  };
  const handle = createService(ports, { slots: options.jobSlots });
  handle.leftoversSwept = sweepAtStart(projects, exportDir, writtenFolders).catch(() => ({
    removed: [],
    bytes: 0,
  }));

  // New packs or a new device choice: drop loaded sessions so the next job uses what is there now.
  handle.bus.subscribe((event) => {
    if (event !== 'packsChanged') return;
    const old = [...samByDir.values()];
    samByDir.clear();
    for (const sam of old) void sam.then((segmenter) => segmenter?.dispose());
    void engines.release();
  });
  const dispose = handle.dispose.bind(handle);
  handle.dispose = async () => {
    await dispose();
    await engines.release();
    await motion.dispose(); // its warm render workers
    for (const sam of samByDir.values()) await (await sam)?.dispose();
    await people.dispose();
  };
  return handle;
}

/**
 * Removes the temporary files of saves and exports that earlier runs (crashed, killed) left in the folders
 * Stir wrote to: the remembered ones, the folders of recent projects, the default export and project
 * folders, and the data folder with its autosaves.
 */
async function sweepAtStart(
  projects: { dataDir: string; projectsDir: string },
  exportDir: string,
  writtenFolders: WrittenFolders,
) {
  const recent = await new RecentProjects(join(projects.dataDir, 'recent-projects.json'))
    .list()
    .catch(() => []);
  return sweepLeftovers([
    ...(await writtenFolders.list()),
    ...recent.map((project) => dirname(project.path)),
    exportDir,
    projects.projectsDir,
    projects.dataDir,
    join(projects.dataDir, 'recovery'),
    join(projects.dataDir, 'settings'),
  ]);
}

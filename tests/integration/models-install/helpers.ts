// A ModelsService with its own event bus and job manager, a models folder in a temporary directory, and
// a way to run an install job to its end while keeping every event it sent.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  StirError,
  type JobProgress,
  type PackInstallProgress,
  type PackInstallResult,
  type ParamsIn,
} from '../../../src/shared/index.js';
import { EventBus } from '../../../src/shared/rpc/event-bus.js';
import { JobManager } from '../../../src/engine/jobs/job-manager.js';
import type { ProviderInfo } from '../../../src/engine/models/providers.js';
import { ModelsService } from '../../../src/engine/models/install/service.js';
import { tempDir } from '../../unit/models-install/helpers/files.js';

export const CPU_ONLY: ProviderInfo[] = [
  { id: 'cpu', name: 'CPU', available: true, reason: 'always available' },
  { id: 'cuda', name: 'CUDA (NVIDIA)', available: false, reason: 'no NVIDIA driver was found' },
];

export interface Harness {
  root: string;
  modelsDir: string;
  settingsPath: string;
  bus: EventBus;
  jobs: JobManager;
  service: ModelsService;
  /** Starts an install and waits for its end; `during` sees each install progress event as it comes. */
  install(
    params: ParamsIn<'installPack'>,
    during?: (progress: PackInstallProgress, jobId: string) => void,
  ): Promise<InstallRun>;
  dispose(): Promise<void>;
}

export interface InstallRun {
  result: PackInstallResult | null;
  error: StirError | null;
  progress: PackInstallProgress[];
  jobProgress: JobProgress[];
}

export function harness(
  providers: ProviderInfo[] = CPU_ONLY,
  checkRemoteAddress?: (url: URL) => Promise<void>,
): Harness {
  const root = tempDir('models');
  const modelsDir = join(root, 'models');
  mkdirSync(modelsDir);
  const settingsPath = join(root, 'settings', 'models.json');
  const bus = new EventBus();
  const jobs = new JobManager(bus);
  const service = new ModelsService(
    { dir: modelsDir, settingsPath, env: {}, checkRemoteAddress },
    bus,
    jobs,
    {
      providers: () => providers,
      retry: { retryDelayMs: 5 },
    },
  );
  return {
    root,
    modelsDir,
    settingsPath,
    bus,
    jobs,
    service,
    async install(params, during) {
      const run: InstallRun = { result: null, error: null, progress: [], jobProgress: [] };
      let jobId = '';
      let settle: () => void = () => undefined;
      const ended = new Promise<void>((resolve) => (settle = resolve));
      const unsubscribe = bus.subscribe((event, payload) => {
        const p = payload as { jobId?: string };
        if (p.jobId !== jobId) return;
        if (event === 'packInstallProgress') {
          const progress = payload as PackInstallProgress;
          run.progress.push(progress);
          during?.(progress, jobId);
        } else if (event === 'jobProgress') {
          run.jobProgress.push(payload as JobProgress);
        } else if (event === 'jobDone') {
          run.result = (payload as { result: PackInstallResult }).result;
          settle();
        } else if (event === 'jobFailed') {
          run.error = StirError.fromPayload(
            (payload as { error: Parameters<typeof StirError.fromPayload>[0] }).error,
          );
          settle();
        }
      });
      try {
        const started = await service.installPack({
          replace: false,
          ...params,
          typed: params.typed ?? false,
        });
        jobId = started.jobId;
        await ended;
      } finally {
        unsubscribe();
      }
      return run;
    },
    async dispose() {
      await jobs.cancelAll();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

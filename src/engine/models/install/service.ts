// The model-pack area of the engine service: list, install (a pack-install job that can be paused,
// resumed and cancelled), verify and remove packs; list the devices and remember the chosen one.
// Merged with the core service in create-service.ts.
import {
  formatBytes,
  StirError,
  startingInstallProgress,
  type DeviceId,
  type PackInstallProgress,
  type ParamsOut,
  type ResultOf,
  type StirService,
} from '../../../shared/index.js';
import type { EventBus } from '../../../shared/rpc/event-bus.js';
import type { JobContext, JobManager } from '../../jobs/job-manager.js';
import type { ModelsPorts } from '../../ports.js';
import { listExecutionProviders, type ProviderInfo, type ProviderPreference } from '../providers.js';
import { assertChoosable, describeDevices, offerCpu, readProviderPreference } from './devices.js';
import { createDownloadClient } from './http-client.js';
import { installPack, type InstallUpdate } from './installer.js';
import { PackStore } from './pack-store.js';
import { PauseGate } from './pause-gate.js';
import { ModelsSettingsFile } from './settings.js';

type P<M extends keyof StirService> = ParamsOut<M>;
type R<M extends keyof StirService> = Promise<ResultOf<M>>;

export type ModelsMethod =
  | 'listPacks'
  | 'installPack'
  | 'pauseJob'
  | 'resumeJob'
  | 'verifyPack'
  | 'removePack'
  | 'listDevices'
  | 'setDevice';

export interface ModelsServiceOptions {
  /** The execution providers of this machine (tests give their own). */
  providers?: () => ProviderInfo[];
  /** Download retry policy (tests shorten the waits). */
  retry?: { maxRetries?: number; retryDelayMs?: number };
}

interface RunningInstall {
  pause: PauseGate;
  progress: PackInstallProgress;
  lastSent: number;
}

/** packInstallProgress events: a few a second is all a person can read. */
const PROGRESS_INTERVAL_MS = 250;

export class ModelsService implements Pick<StirService, ModelsMethod> {
  readonly #ports: ModelsPorts | undefined;
  readonly #bus: EventBus;
  readonly #jobs: JobManager;
  readonly #providers: () => ProviderInfo[];
  readonly #retry: ModelsServiceOptions['retry'];
  readonly #installs = new Map<string, RunningInstall>();
  /** Pack ids and download addresses an install or a removal is working on. */
  readonly #claims = new Set<string>();
  #swept = false;

  constructor(
    ports: ModelsPorts | undefined,
    bus: EventBus,
    jobs: JobManager,
    options: ModelsServiceOptions = {},
  ) {
    this.#ports = ports;
    this.#bus = bus;
    this.#jobs = jobs;
    this.#providers = options.providers ?? (() => listExecutionProviders());
    this.#retry = options.retry;
    bus.subscribe((event, payload) => {
      if (event === 'jobDone' || event === 'jobFailed')
        this.#installs.delete((payload as { jobId: string }).jobId);
    });
  }

  // --- packs --------------------------------------------------------------------------------------

  async listPacks(_params: P<'listPacks'>): R<'listPacks'> {
    const { store } = await this.#setup();
    return {
      modelsDir: store.modelsDir,
      packs: await store.list(),
      installs: [...this.#installs.values()].map((i) => i.progress),
    };
  }

  async installPack(params: P<'installPack'>): R<'installPack'> {
    const { store, ports } = await this.#setup();
    const pause = new PauseGate();
    const source = params.source;
    const started = this.#jobs.start('pack-install', async (job) => {
      const began = performance.now();
      const client = createDownloadClient(ports.env ?? process.env);
      try {
        const outcome = await installPack(
          { source, sha256: params.sha256 ?? null, replace: params.replace },
          {
            modelsDir: store.modelsDir,
            dispatcher: client.dispatcher,
            signal: job.signal,
            pause,
            onUpdate: (update) => this.#report(job, update),
            claim: (key) => this.#claim(key),
            retry: this.#retry,
            // What the person typed themselves may be on their own network; anything else may not.
            checkAddress: params.typed ? undefined : ports.checkRemoteAddress,
          },
        );
        const pack = await store.get(outcome.id);
        this.#bus.emit('packsChanged', { packs: await store.list() });
        return {
          pack,
          replaced: outcome.replacedVersion,
          downloadedBytes: outcome.downloadedBytes,
          resumedAt: outcome.resumedAt,
          restarts: outcome.restarts,
          millis: performance.now() - began,
        };
      } finally {
        await client.close().catch(() => undefined);
      }
    });
    // Registered before the job's first step runs (the job manager starts it on the next turn).
    this.#installs.set(started.jobId, {
      pause,
      lastSent: 0,
      progress: startingInstallProgress(started.jobId, source),
    });
    return started;
  }

  async pauseJob(params: P<'pauseJob'>): R<'pauseJob'> {
    const install = this.#installs.get(params.jobId);
    // Only a download can pause: unpacking and checking are local and short next to it.
    if (!install?.progress.canPause) return { paused: false };
    // The download stops its request at once and reports 'paused' itself.
    return { paused: install.pause.pause() };
  }

  async resumeJob(params: P<'resumeJob'>): R<'resumeJob'> {
    const install = this.#installs.get(params.jobId);
    if (!install) return { resumed: false };
    return { resumed: install.pause.resume() };
  }

  async verifyPack(params: P<'verifyPack'>): R<'verifyPack'> {
    const { store } = await this.#setup();
    return store.verify(params.packId);
  }

  async removePack(params: P<'removePack'>): R<'removePack'> {
    const { store } = await this.#setup();
    const release = this.#claim(params.packId);
    try {
      const result = await store.remove(params.packId);
      if (result.removed) this.#bus.emit('packsChanged', { packs: await store.list() });
      return result;
    } finally {
      release();
    }
  }

  // --- devices ------------------------------------------------------------------------------------

  async listDevices(_params: P<'listDevices'>): R<'listDevices'> {
    const { settings } = await this.#setup();
    return describeDevices((await settings.read()).device, this.#providers());
  }

  async setDevice(params: P<'setDevice'>): R<'setDevice'> {
    const { settings } = await this.#setup();
    const providers = this.#providers();
    assertChoosable(params.device, providers);
    const saved = await settings.update({ device: params.device });
    return describeDevices(saved.device, providers);
  }

  // --- for the rest of the engine (not in the contract) ---------------------------------------------

  /** What sessions should be created with: the chosen device when it can run here, else 'auto'. */
  async providerPreference(): Promise<ProviderPreference> {
    if (!this.#ports) return 'auto';
    return readProviderPreference(this.#ports.settingsPath, this.#providers());
  }

  /** Tells the editor which device a job's models ran on (and what failed first, if it fell back). */
  reportJobDevice(
    jobId: string,
    device: DeviceId,
    fellBackFrom: DeviceId | null = null,
    reason: string | null = null,
  ): void {
    this.#bus.emit('jobDevice', { jobId, device, fellBackFrom, reason });
  }

  /** A device failure turned into an error that offers the CPU (see devices.ts). */
  offerCpu(caught: unknown, device: DeviceId): unknown {
    return offerCpu(caught, device);
  }

  // --- inside -------------------------------------------------------------------------------------

  async #setup(): Promise<{ store: PackStore; settings: ModelsSettingsFile; ports: ModelsPorts }> {
    const ports = this.#ports;
    if (!ports) {
      throw new StirError('PACK_MISSING', 'No models folder is set up in this Stir.', {
        hint: 'The engine was started without a models folder; model packs cannot be managed here.',
      });
    }
    const store = new PackStore(ports.dir);
    if (!this.#swept) {
      this.#swept = true;
      await store.sweep();
    }
    return { store, settings: this.#settings(), ports };
  }

  #settings(): ModelsSettingsFile {
    return new ModelsSettingsFile(this.#ports?.settingsPath ?? '');
  }

  #claim(key: string): () => void {
    if (this.#claims.has(key)) {
      throw new StirError('BUSY', `Another install or removal is working on ${key} right now.`, {
        hint: 'Wait for it to finish, or cancel it.',
        details: { key },
      });
    }
    this.#claims.add(key);
    return () => this.#claims.delete(key);
  }

  #report(job: JobContext, update: InstallUpdate): void {
    const install = this.#installs.get(job.jobId);
    if (!install) return;
    const { fraction, ...rest } = update;
    const progress: PackInstallProgress = { ...install.progress, ...rest };
    const changed = progress.state !== install.progress.state || progress.file !== install.progress.file;
    install.progress = progress;
    // Unpacking and hashing report every read: only a few a second go out, and every change of state.
    if (!changed && performance.now() - install.lastSent < PROGRESS_INTERVAL_MS) return;
    job.progress(stageText(update), fraction);
    this.#send(install, progress);
  }

  #send(install: RunningInstall, progress: PackInstallProgress): void {
    install.progress = progress;
    install.lastSent = performance.now();
    this.#bus.emit('packInstallProgress', progress);
  }
}

/** The job's stage in words, as the CLI prints it and a generic job list shows it. */
function stageText(u: InstallUpdate): string {
  const of =
    u.bytesTotal === null
      ? formatBytes(u.bytesDone)
      : `${formatBytes(u.bytesDone)} of ${formatBytes(u.bytesTotal)}`;
  const what = u.file ?? 'the pack';
  switch (u.state) {
    case 'starting':
      return 'Starting';
    case 'connecting':
      return `Connecting to download ${what}`;
    case 'downloading':
      return `Downloading ${what}: ${of}${u.bytesPerSecond === null ? '' : ` at ${formatBytes(u.bytesPerSecond)}/s`}`;
    case 'paused':
      return `Paused at ${of}`;
    case 'retrying':
      return `The connection was lost at ${of}; reconnecting`;
    case 'checking':
      return `Checking the download (sha256)`;
    case 'copying':
      return `Copying ${what}: ${of}`;
    case 'unpacking':
      return `Unpacking ${what}: ${of}`;
    case 'validating':
      return `Checking every file and model: ${of}`;
    case 'installing':
      return 'Installing';
  }
}

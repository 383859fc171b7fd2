// The model manager as the editor shows it (issue 7): the installed packs (the catalog's list, which
// follows packsChanged), installs running in the engine with their progress (packInstallProgress; the job
// bar shows them too), verify and remove, and the device models run on. Installs are followed through
// the engine's events, not through the call that started them, so an install started before a reload, or
// by `stir models` on the same engine, shows the same way. A render that failed on the GPU offers the CPU.
import {
  StirError,
  startingInstallProgress,
  formatBytes,
  type DeviceChoice,
  type Devices,
  type InstalledPack,
  type PackInstallProgress,
  type VerifyPackResult,
} from '@shared/index.js';
import type { Editor } from './editor.svelte.js';

/** An error as the dialog shows it: what happened and what to do. */
export interface Problem {
  message: string;
  hint: string | null;
}

export interface InstallView {
  jobId: string;
  progress: PackInstallProgress;
  /** The engine's refusal; a failed install stays listed (and nothing is installed) until dismissed. */
  error: Problem | null;
  /** The pack with that id is installed already: the install can be tried again as a replacement. */
  canReplace: boolean;
}

export interface PackCheck {
  running: boolean;
  result: VerifyPackResult | null;
  error: string | null;
}

const INSTALL_TITLE = 'Install pack';

export class ModelManager {
  modelsDir = $state<string | null>(null);
  installs = $state.raw<readonly InstallView[]>([]);
  devices = $state.raw<Devices | null>(null);
  /** Verify results by pack id, kept until the pack changes or goes. */
  checks = $state.raw<Readonly<Record<string, PackCheck>>>({});
  /** The pack being removed. */
  removing = $state<string | null>(null);
  /** A device choice sent and not answered yet. */
  choosing = $state(false);
  /** The last thing done, in words, for the dialog's live region. */
  said = $state<string | null>(null);
  /** Why the list or the devices could not be read, or why an install could not start. */
  problem = $state.raw<Problem | null>(null);

  readonly #editor: Editor;
  readonly #visible: () => boolean;
  /** Installs that ended: late progress events for them are ignored (nothing shown depends on it). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #ended = new Set<string>();

  constructor(editor: Editor, dialogOpen: () => boolean) {
    this.#editor = editor;
    this.#visible = dialogOpen;
    const client = editor.client;
    client.on('packInstallProgress', (progress) => this.#track(progress));
    client.on('jobProgress', (p) => {
      if (p.kind === 'pack-install') editor.jobs.progress(p);
    });
    client.on('jobDone', (done) => {
      if (done.kind === 'pack-install') this.#succeeded(done.jobId, done.result.pack);
    });
    client.on('jobFailed', (failed) => {
      if (failed.kind === 'pack-install') this.#failed(failed.jobId, StirError.fromPayload(failed.error));
    });
    client.on('packsChanged', ({ packs }) => this.#forgetChecks(packs));
    // A device that failed (PROVIDER_FAILED, OUT_OF_MEMORY: details.fallback = 'cpu') offers the CPU.
    editor.notices.actionFor = (error) =>
      error.details?.fallback === 'cpu' ? { label: 'Use the CPU', run: () => this.useCpu() } : null;
  }

  get packs(): readonly InstalledPack[] {
    return this.#editor.catalog.packs;
  }

  /** Reads the packs, the installs running now and the devices (when the dialog opens). */
  async refresh(): Promise<void> {
    const client = this.#editor.client;
    const [listed, devices] = await Promise.allSettled([client.listPacks({}), client.listDevices({})]);
    this.problem = null;
    if (listed.status === 'fulfilled') {
      this.modelsDir = listed.value.modelsDir;
      this.#editor.catalog.packs = listed.value.packs;
      for (const install of listed.value.installs) this.#track(install);
    } else {
      this.problem = describe(listed.reason);
    }
    if (devices.status === 'fulfilled') this.devices = devices.value;
    else this.problem ??= describe(devices.reason);
  }

  // --- installs -------------------------------------------------------------------------------------

  /** Starts installing from a folder, a .zip (paths on the engine's machine) or an http(s) address. */
  async install(source: string, replace = false): Promise<boolean> {
    const trimmed = source.trim();
    if (!trimmed) return false;
    this.problem = null;
    this.said = null;
    // A new install clears the failed ones: the person has moved on.
    this.installs = this.installs.filter((i) => !i.error);
    try {
      const { jobId } = await this.#editor.client.installPack({ source: trimmed, replace, typed: true });
      if (!this.installs.some((i) => i.jobId === jobId)) this.#track(startingInstallProgress(jobId, trimmed));
      return true;
    } catch (caught) {
      this.problem = describe(caught);
      return false;
    }
  }

  async pause(jobId: string): Promise<void> {
    await this.#ask(() => this.#editor.client.pauseJob({ jobId }));
  }

  async resume(jobId: string): Promise<void> {
    await this.#ask(() => this.#editor.client.resumeJob({ jobId }));
  }

  async cancel(jobId: string): Promise<void> {
    await this.#ask(() => this.#editor.client.cancelJob({ jobId }));
  }

  dismiss(jobId: string): void {
    this.installs = this.installs.filter((i) => i.jobId !== jobId);
  }

  #track(progress: PackInstallProgress): void {
    const { jobId } = progress;
    if (this.#ended.has(jobId)) return;
    const known = this.installs.some((i) => i.jobId === jobId);
    this.installs = known
      ? this.installs.map((i) => (i.jobId === jobId ? { ...i, progress } : i))
      : [...this.installs, { jobId, progress, error: null, canReplace: false }];
    const jobs = this.#editor.jobs;
    if (!jobs.items.some((j) => j.jobId === jobId)) {
      jobs.start(jobId, 'pack-install', INSTALL_TITLE, () => void this.cancel(jobId));
    }
  }

  #succeeded(jobId: string, pack: InstalledPack): void {
    this.#end(jobId);
    this.installs = this.installs.filter((i) => i.jobId !== jobId);
    const can = pack.capabilities.length > 0 ? `; it can do ${pack.capabilities.join(', ')}` : '';
    this.said = `Installed ${pack.name} ${pack.version} (${formatBytes(pack.bytes)})${can}.`;
    if (!this.#visible()) this.#editor.notices.info(this.said);
  }

  #failed(jobId: string, error: StirError): void {
    this.#end(jobId);
    if (error.code === 'CANCELLED') {
      this.installs = this.installs.filter((i) => i.jobId !== jobId);
      this.said = 'The install was cancelled; nothing was installed.';
      return;
    }
    const problem = { message: error.message, hint: error.hint ?? null };
    const canReplace = error.details?.reason === 'already-installed';
    const known = this.installs.some((i) => i.jobId === jobId);
    this.installs = known
      ? this.installs.map((i) => (i.jobId === jobId ? { ...i, error: problem, canReplace } : i))
      : [
          ...this.installs,
          { jobId, progress: startingInstallProgress(jobId, ''), error: problem, canReplace },
        ];
    if (!this.#visible()) this.#editor.notices.fail(error);
  }

  #end(jobId: string): void {
    this.#ended.add(jobId);
    this.#editor.jobs.end(jobId);
  }

  async #ask(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (caught) {
      this.problem = describe(caught);
    }
  }

  // --- installed packs ------------------------------------------------------------------------------

  /** Re-checks every file of a pack (size, sha256) and its models against the contract. */
  async verify(packId: string): Promise<void> {
    this.#setCheck(packId, { running: true, result: null, error: null });
    try {
      const result = await this.#editor.client.verifyPack({ packId });
      this.#setCheck(packId, { running: false, result, error: null });
    } catch (caught) {
      this.#setCheck(packId, { running: false, result: null, error: describe(caught).message });
    }
  }

  async remove(pack: InstalledPack): Promise<boolean> {
    this.removing = pack.id;
    this.said = null;
    try {
      const { removed, bytes } = await this.#editor.client.removePack({ packId: pack.id });
      // packsChanged brings the new list; this one shows it at once.
      this.#editor.catalog.packs = this.#editor.catalog.packs.filter((p) => p.id !== pack.id);
      this.said = removed
        ? `Removed ${pack.name} (${formatBytes(bytes)} freed).`
        : `${pack.name} was not installed any more.`;
      return true;
    } catch (caught) {
      this.problem = describe(caught);
      return false;
    } finally {
      this.removing = null;
    }
  }

  #setCheck(packId: string, check: PackCheck): void {
    this.checks = { ...this.checks, [packId]: check };
  }

  /** A verify result says nothing about a pack that was reinstalled or removed since. */
  #forgetChecks(packs: readonly InstalledPack[]): void {
    const kept: Record<string, PackCheck> = {};
    for (const [id, check] of Object.entries(this.checks)) {
      if (packs.some((p) => p.id === id)) kept[id] = check;
    }
    this.checks = kept;
  }

  // --- devices --------------------------------------------------------------------------------------

  async chooseDevice(device: DeviceChoice): Promise<void> {
    this.choosing = true;
    try {
      this.devices = await this.#editor.client.setDevice({ device });
    } catch (caught) {
      this.problem = describe(caught);
    } finally {
      this.choosing = false;
    }
  }

  /** The action a device failure's banner offers: models on the CPU from now on, and the preview again. */
  async useCpu(): Promise<void> {
    try {
      this.devices = await this.#editor.client.setDevice({ device: 'cpu' });
    } catch (caught) {
      this.#editor.notices.fail(caught);
      return;
    }
    this.#editor.notices.info('Models run on the CPU now; rendering the preview again.');
    void this.#editor.preview.render();
  }
}

function describe(caught: unknown): Problem {
  const error = StirError.fromCaught(caught);
  return { message: error.message, hint: error.hint ?? null };
}

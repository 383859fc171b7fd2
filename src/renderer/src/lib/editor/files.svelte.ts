// Opening and saving: photos and .stir projects, recent projects, recovery of autosaved work, and the
// "unsaved changes" question. In Electron files are picked with native dialogs and read by path; in a
// browser the bytes go up to the engine and saves land in a folder on the engine's machine, with a link to
// download them.
import {
  PROJECT_EXTENSION,
  type PhotoSource,
  type ProjectSource,
  type RecentProject,
  type Recovery,
} from '@shared/index.js';
import type { Editor } from './editor.svelte.js';

export type DialogId = 'help' | 'export' | 'save-as' | 'recovery' | 'confirm' | 'models';

export interface ConfirmRequest {
  title: string;
  message: string;
  /** Buttons, the first the default; each resolves the question with its value. */
  choices: Array<{ label: string; value: string; kind?: 'primary' | 'danger' | 'plain' }>;
  resolve: (value: string) => void;
}

const PHOTO_FILTERS = [{ name: 'Photos', extensions: ['jpg', 'jpeg', 'png', 'webp'] }];
const PROJECT_FILTERS = [{ name: 'Stir projects', extensions: ['stir'] }];

export function isProjectName(name: string): boolean {
  return name.toLowerCase().endsWith(PROJECT_EXTENSION);
}

export class Files {
  readonly #editor: Editor;
  recent = $state.raw<readonly RecentProject[]>([]);
  recoveries = $state.raw<readonly Recovery[]>([]);
  dialog = $state<DialogId | null>(null);
  confirmRequest = $state.raw<ConfirmRequest | null>(null);
  /** Hidden file inputs (browser mode), set by the component that renders them. */
  photoInput: HTMLInputElement | null = null;
  projectInput: HTMLInputElement | null = null;
  lastSave = $state.raw<{ path: string; downloadUrl: string | null } | null>(null);

  constructor(editor: Editor) {
    this.#editor = editor;
  }

  get #electron(): boolean {
    return this.#editor.shell.kind === 'electron';
  }

  /** At start: the recent list, and any work an earlier session left unsaved. */
  async init(): Promise<void> {
    await this.refreshRecent();
    this.recoveries = await this.#editor.client.listRecoveries({}).catch(() => []);
    if (this.recoveries.length > 0) this.dialog = 'recovery';
  }

  async refreshRecent(): Promise<void> {
    this.recent = await this.#editor.client.listRecentProjects({}).catch(() => []);
  }

  // --- open -----------------------------------------------------------------------------------------

  async openPhotoCommand(): Promise<void> {
    if (!this.#electron) return void this.photoInput?.click();
    const path = await this.#editor.shell.pickOpenPath({ title: 'Open a photo', filters: PHOTO_FILTERS });
    if (path) await this.openPhoto({ kind: 'path', path });
  }

  async openProjectCommand(): Promise<void> {
    if (!this.#electron) return void this.projectInput?.click();
    const path = await this.#editor.shell.pickOpenPath({ title: 'Open a project', filters: PROJECT_FILTERS });
    if (path) await this.openProject({ kind: 'path', path });
  }

  /** Files chosen in a file input or dropped on the window: a .stir opens as a project, else as a photo. */
  async openFiles(files: readonly File[]): Promise<void> {
    const file = files[0];
    if (!file) return;
    if (files.length > 1) this.#editor.notices.info(`Opened ${file.name}; Stir edits one photo at a time.`);
    const path = this.#editor.shell.pathForFile(file);
    if (isProjectName(file.name)) {
      await this.openProject(
        path
          ? { kind: 'path', path }
          : { kind: 'bytes', name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
      );
    } else {
      await this.openPhoto(
        path
          ? { kind: 'path', path }
          : { kind: 'bytes', name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
      );
    }
  }

  async openPhoto(source: PhotoSource): Promise<void> {
    if (!(await this.guardUnsaved())) return;
    await this.#busy('Opening the photo…', async () => {
      const document = await this.#editor.client.openPhoto({ source });
      await this.#editor.load(document, null);
      if (document.scaledFrom) {
        const { width, height } = document.scaledFrom;
        this.#editor.notices.info(
          `${document.name} is ${width}x${height}: Stir opened it scaled down to ${document.width}x${document.height}, the most it works at.`,
          null,
          'Exports are made at the size you choose, up to that size.',
        );
      }
    });
  }

  async openProject(source: ProjectSource): Promise<void> {
    if (!(await this.guardUnsaved())) return;
    await this.#busy('Opening the project…', async () => {
      const opened = await this.#editor.client.openProject({ source });
      await this.#editor.load(opened.document, opened.path);
      await this.refreshRecent();
    });
  }

  async openRecent(entry: RecentProject): Promise<void> {
    if (!entry.exists) {
      this.#editor.notices.fail(new Error(`${entry.path} is no longer there.`));
      return;
    }
    await this.openProject({ kind: 'path', path: entry.path });
  }

  async forgetRecent(entry: RecentProject): Promise<void> {
    await this.#editor.client.forgetRecentProject({ path: entry.path }).catch(() => undefined);
    await this.refreshRecent();
  }

  async newProject(): Promise<void> {
    if (!(await this.guardUnsaved())) return;
    await this.#editor.close();
    await this.refreshRecent();
  }

  // --- recovery -------------------------------------------------------------------------------------

  async recover(id: string): Promise<void> {
    await this.#busy('Recovering your work…', async () => {
      const opened = await this.#editor.client.recoverProject({ id });
      // Recovered work is unsaved until the person saves it.
      await this.#editor.load(opened.document, opened.path, { dirty: true });
      this.recoveries = this.recoveries.filter((r) => r.id !== id);
      this.#editor.notices.info(`Recovered ${opened.document.name}. Save it to keep it.`);
    });
    if (this.recoveries.length === 0 && this.dialog === 'recovery') this.dialog = null;
  }

  async discardRecovery(id: string): Promise<void> {
    await this.#editor.client.discardRecovery({ id }).catch((e: unknown) => this.#editor.notices.fail(e));
    this.recoveries = this.recoveries.filter((r) => r.id !== id);
    if (this.recoveries.length === 0 && this.dialog === 'recovery') this.dialog = null;
  }

  // --- save -----------------------------------------------------------------------------------------

  async save(): Promise<boolean> {
    if (!this.#editor.doc) return false;
    if (this.#editor.projectPath) return this.saveTo(this.#editor.projectPath);
    if (this.#electron) return this.saveAs();
    return this.saveTo(null);
  }

  async saveAs(): Promise<boolean> {
    const doc = this.#editor.doc;
    if (!doc) return false;
    if (!this.#electron) {
      this.dialog = 'save-as';
      return false;
    }
    const path = await this.#editor.shell.pickSavePath({
      title: 'Save the project',
      defaultName: `${doc.name.replace(/\.[^.]+$/, '')}${PROJECT_EXTENSION}`,
      filters: PROJECT_FILTERS,
    });
    return path ? this.saveTo(path) : false;
  }

  /** Saves to a path, or (null) to a new file in the engine's projects folder. */
  async saveTo(path: string | null): Promise<boolean> {
    const doc = this.#editor.doc;
    if (!doc) return false;
    let ok = false;
    await this.#busy('Saving…', async () => {
      await this.#editor.settled();
      const saved = await this.#editor.client.saveProject({ docId: doc.docId, path });
      this.#editor.markSaved(saved.path);
      this.lastSave = { path: saved.path, downloadUrl: saved.downloadUrl };
      const link =
        saved.downloadUrl && !this.#electron
          ? {
              href: saved.downloadUrl,
              label: 'Download',
              download: saved.path.split(/[\\/]/).pop() ?? 'project.stir',
            }
          : null;
      this.#editor.notices.info(`Saved to ${saved.path}`, link);
      ok = true;
      await this.refreshRecent();
    });
    return ok;
  }

  // --- unsaved changes ------------------------------------------------------------------------------

  /** True when it is fine to replace the document: nothing unsaved, or the person saved or let it go. */
  async guardUnsaved(): Promise<boolean> {
    const doc = this.#editor.doc;
    if (!doc || !this.#editor.dirty) return true;
    const answer = await this.ask({
      title: 'Save your changes?',
      message: `${doc.name} has changes that are not saved in a project.`,
      choices: [
        { label: 'Save', value: 'save', kind: 'primary' },
        { label: "Don't save", value: 'discard', kind: 'danger' },
        { label: 'Cancel', value: 'cancel', kind: 'plain' },
      ],
    });
    if (answer === 'save')
      return this.#electron || this.#editor.projectPath ? this.save() : this.saveTo(null);
    return answer === 'discard';
  }

  ask(request: Omit<ConfirmRequest, 'resolve'>): Promise<string> {
    return new Promise((resolve) => {
      this.confirmRequest = {
        ...request,
        resolve: (value) => {
          this.confirmRequest = null;
          if (this.dialog === 'confirm') this.dialog = null;
          resolve(value);
        },
      };
      this.dialog = 'confirm';
    });
  }

  async #busy(what: string, work: () => Promise<void>): Promise<void> {
    this.#editor.busy = what;
    try {
      await work();
    } catch (caught) {
      this.#editor.notices.fail(caught);
    } finally {
      this.#editor.busy = null;
    }
  }
}

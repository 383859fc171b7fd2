// The export job as the export dialog shows it: pick a preset (named for what the clip is for), pick where
// (a native save dialog in Electron; the engine's export folder or a typed path in a browser), then watch
// its progress, cancel it, and get the file (a path, and a download link in a browser).
import {
  EXPORT_FORMAT_INFO,
  exportPreset,
  runJob,
  type ExportPresetId,
  type ExportResult,
} from '@shared/index.js';
import type { Editor } from './editor.svelte.js';

export class ExportFlow {
  readonly #editor: Editor;
  presetId = $state<ExportPresetId>('web-mp4');
  /** Browser mode: where to write on the engine's machine; empty for its export folder. */
  path = $state('');
  running = $state(false);
  result = $state.raw<ExportResult | null>(null);
  error = $state<string | null>(null);
  #abort: AbortController | null = null;

  constructor(editor: Editor) {
    this.#editor = editor;
  }

  reset(): void {
    if (this.running) return;
    this.result = null;
    this.error = null;
  }

  async start(): Promise<void> {
    const editor = this.#editor;
    const doc = editor.doc;
    if (!doc || this.running) return;
    this.result = null;
    this.error = null;
    let path: string | null = this.path.trim() || null;
    if (editor.shell.kind === 'electron') {
      const info = EXPORT_FORMAT_INFO[exportPreset(this.presetId).format];
      const base = doc.name.replace(/\.[^.]+$/, '');
      path = await editor.shell.pickSavePath({
        title: 'Export the clip',
        defaultName: `${base}${info.extension}`,
        filters: info.extension ? [{ name: info.label, extensions: [info.extension.slice(1)] }] : [],
      });
      if (!path) return;
    }
    const controller = new AbortController();
    this.#abort = controller;
    this.running = true;
    let jobId: string | null = null;
    try {
      await editor.settled();
      const preset = this.presetId;
      this.result = await runJob(
        editor.client,
        () => editor.client.startExport({ docId: doc.docId, preset, path }),
        'export',
        {
          onStarted: (s) => {
            jobId = s.jobId;
            editor.jobs.start(s.jobId, 'export', `Export ${exportPreset(preset).name}`, () =>
              controller.abort(),
            );
          },
          onProgress: (p) => editor.jobs.progress(p),
        },
        controller.signal,
      );
      editor.notices.resolved('export');
    } catch (caught) {
      if (!controller.signal.aborted) {
        this.error = caught instanceof Error ? caught.message : String(caught);
        editor.notices.fail(caught, undefined, 'export');
      }
    } finally {
      if (jobId) editor.jobs.end(jobId);
      this.running = false;
      this.#abort = null;
    }
  }

  cancel(): void {
    this.#abort?.abort();
  }
}

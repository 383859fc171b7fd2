// Everything the editor's components share: the document (Editor), files and dialogs (Files), the export
// (ExportFlow), the canvas once it exists (Stage), and `run`, which carries out a command the same way
// whether it came from a button, a keyboard shortcut or the native menu.
import { getContext, setContext } from 'svelte';
import type { Connection } from '../bridge.js';
import { Editor } from './editor.svelte.js';
import { Files } from './files.svelte.js';
import { ExportFlow } from './export.svelte.js';
import { ModelManager } from './models.svelte.js';
import type { CommandId } from './shortcuts.js';
import type { Stage } from '../canvas/stage.js';
import { BRUSH_MAX, BRUSH_MIN } from '../canvas/brush-tool.js';
import { addKeyframe } from '../pose/interpolate.js';

const KEY = Symbol('stir-workspace');

export class Workspace {
  readonly editor: Editor;
  readonly files: Files;
  readonly exporter: ExportFlow;
  readonly models: ModelManager;
  stage = $state.raw<Stage | null>(null);
  /** Bumped to ask the region list to start renaming the selected region (F2). */
  renameRequest = $state(0);
  zoomPercent = $state(100);

  constructor(connection: Connection) {
    this.editor = new Editor(connection.client, connection.shell);
    this.files = new Files(this.editor);
    this.exporter = new ExportFlow(this.editor);
    this.models = new ModelManager(this.editor, () => this.files.dialog === 'models');
  }

  get platform(): string {
    return this.editor.shell.platform;
  }

  run(command: CommandId): void {
    const { editor, files } = this;
    const selected = editor.selected;
    const stage = this.stage;
    const hasDoc = editor.doc !== null;
    switch (command) {
      case 'new-project':
        return void files.newProject();
      case 'open-photo':
        return void files.openPhotoCommand();
      case 'open-project':
        return void files.openProjectCommand();
      case 'save-project':
        return void (hasDoc && files.save());
      case 'save-project-as':
        return void (hasDoc && files.saveAs());
      case 'export':
        if (hasDoc) {
          this.exporter.reset();
          files.dialog = 'export';
        }
        return;
      case 'undo':
        return editor.undo();
      case 'redo':
        return editor.redo();
      case 'show-shortcuts':
        files.dialog = files.dialog === 'help' ? null : 'help';
        return;
      case 'show-models':
        files.dialog = files.dialog === 'models' ? null : 'models';
        return;
      case 'toggle-preview':
        return hasDoc ? editor.preview.toggle() : undefined;
      case 'zoom-fit':
        return stage?.zoom.fit();
      case 'zoom-100':
        return stage?.zoom.zoomTo(1);
      case 'zoom-in':
        return stage?.zoom.zoomBy(1.25);
      case 'zoom-out':
        return stage?.zoom.zoomBy(0.8);
      case 'tool-click':
        return editor.setTool('click');
      case 'tool-box':
        return editor.setTool('box');
      case 'tool-brush':
        return editor.setTool('brush');
      case 'tool-eraser':
        return editor.setTool('eraser');
      case 'tool-pose':
        // Joints are keyed at the playhead's frame: hold it still while posing.
        editor.preview.pause();
        return editor.setTool('pose');
      case 'tool-hand':
        return editor.setTool('hand');
      case 'tool-path':
        return editor.setTool('path');
      case 'tool-anchor':
        return editor.setTool('anchor');
      case 'tool-freeze':
        return editor.setTool('freeze');
      case 'brush-smaller':
        editor.brushSize = Math.max(BRUSH_MIN, Math.round(editor.brushSize / 1.25));
        return;
      case 'brush-larger':
        editor.brushSize = Math.min(BRUSH_MAX, Math.round(editor.brushSize * 1.25) + 1);
        return;
      case 'new-region':
        if (hasDoc) {
          editor.newRegionNext = true;
          editor.setTool('click');
          editor.select(null);
        }
        return;
      case 'deselect':
        // Escape first drops a path being drawn.
        if (stage?.guides.cancelDraft()) return;
        editor.newRegionNext = false;
        return editor.select(null);
      case 'next-selection':
        return void editor.cycleSelection(1);
      case 'previous-selection':
        return void editor.cycleSelection(-1);
      case 'delete-region':
        return selected ? editor.deleteRegion(selected.id) : undefined;
      case 'rename-region':
        if (selected) this.renameRequest++;
        return;
      case 'toggle-region-visible':
        return selected ? editor.setVisible(selected.id, !selected.visible) : undefined;
      case 'select-region-above':
        return editor.selectNeighbour(1);
      case 'select-region-below':
        return editor.selectNeighbour(-1);
      case 'move-region-up':
        return selected ? editor.moveRegion(selected.id, 1) : undefined;
      case 'move-region-down':
        return selected ? editor.moveRegion(selected.id, -1) : undefined;
      case 'frame-previous':
        return editor.preview.seek(editor.preview.frame - 1);
      case 'frame-next':
        return editor.preview.seek(editor.preview.frame + 1);
      case 'frame-first':
        return editor.preview.seek(0);
      case 'frame-last':
        return editor.preview.seek(editor.preview.frameCount - 1);
      case 'pose-keyframe': {
        const time = selected?.pose ? editor.poseKeyTime(selected) : null;
        if (selected?.pose && time !== null)
          editor.setPose(selected.id, addKeyframe(selected.pose, time), 'Add keyframe');
        return;
      }
    }
  }
}

export function provideWorkspace(workspace: Workspace): void {
  setContext(KEY, workspace);
}

export function useWorkspace(): Workspace {
  const workspace = getContext<Workspace | undefined>(KEY);
  if (!workspace) throw new Error('no Stir workspace in this component tree');
  return workspace;
}

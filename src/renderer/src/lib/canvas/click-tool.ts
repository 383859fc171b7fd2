// The click tool (V): a click on the photo makes a region (the segmenter finds the object under it),
// Shift-click adds to the selected region, Alt-click removes from it, and a click on a region selects it.
// Dragging instead of clicking pans the view, so a slip of the hand never makes a region.
import type { CanvasHandler, PointerInfo, Stage } from './stage.js';
import type { ClickIntent } from '../editor/editor.svelte.js';

/** Screen pixels a pointer may travel and still count as a click. */
const CLICK_SLOP = 5;

export function intentOf(event: { shiftKey: boolean; altKey: boolean }): ClickIntent {
  if (event.altKey) return 'remove';
  if (event.shiftKey) return 'add';
  return 'auto';
}

export class ClickHandler implements CanvasHandler {
  readonly #stage: Stage;
  #start: PointerInfo | null = null;
  #panning = false;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  down(p: PointerInfo): boolean {
    this.#start = p;
    this.#panning = false;
    return true;
  }

  move(p: PointerInfo): void {
    const start = this.#start;
    if (!start) return;
    if (
      !this.#panning &&
      Math.hypot(p.viewport.x - start.viewport.x, p.viewport.y - start.viewport.y) > CLICK_SLOP
    ) {
      this.#panning = true;
      this.#stage.zoom.down(start);
    }
    if (this.#panning) this.#stage.zoom.move(p);
  }

  up(p: PointerInfo): void {
    const start = this.#start;
    this.#start = null;
    if (this.#panning) {
      this.#panning = false;
      this.#stage.zoom.up();
      return;
    }
    if (!start || !this.#stage.insidePhoto(p.scene)) return;
    this.click(p.scene, intentOf(p.event));
  }

  /** A click at a photo point (also what the keyboard cursor's Enter does). */
  click(point: { x: number; y: number }, intent: ClickIntent): void {
    const stage = this.#stage;
    const at = stage.clampToPhoto(point);
    const hit = stage.overlays.regionAt(at.x, at.y);
    void stage.editor.clickAt({ x: Math.round(at.x * 10) / 10, y: Math.round(at.y * 10) / 10 }, intent, hit);
  }
}

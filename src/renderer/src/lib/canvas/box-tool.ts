// The box tool (R): drag a box around an object and the segmenter finds it inside (SAM's box prompt; the
// classic segmenter uses it too). Shift-drag gives the selected region a new box instead.
import { Rect } from 'fabric';
import type { Point } from 'fabric';
import { LAYER, type CanvasHandler, type PointerInfo, type Stage } from './stage.js';

/** Smaller boxes (screen pixels) are slips, not boxes. */
const MIN_BOX = 6;

export class BoxHandler implements CanvasHandler {
  readonly #stage: Stage;
  #start: Point | null = null;
  #rect: Rect | null = null;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  down(p: PointerInfo): boolean {
    this.#start = this.#stage.clampToPhoto(p.scene);
    const s = 1 / this.#stage.scale;
    this.#rect = new Rect({
      left: this.#start.x,
      top: this.#start.y,
      width: 0,
      height: 0,
      originX: 'left',
      originY: 'top',
      fill: 'rgba(79, 157, 255, 0.12)',
      stroke: '#4f9dff',
      strokeWidth: 1.5 * s,
      strokeDashArray: [6 * s, 4 * s],
      selectable: false,
      evented: false,
    });
    this.#stage.add(this.#rect, LAYER.box);
    return true;
  }

  move(p: PointerInfo): void {
    const start = this.#start;
    if (!start || !this.#rect) return;
    const end = this.#stage.clampToPhoto(p.scene);
    this.#rect.set({
      left: Math.min(start.x, end.x),
      top: Math.min(start.y, end.y),
      width: Math.abs(end.x - start.x),
      height: Math.abs(end.y - start.y),
    });
    this.#stage.render();
  }

  up(p: PointerInfo): void {
    const start = this.#start;
    if (this.#rect) this.#stage.remove(this.#rect);
    this.#rect = null;
    this.#start = null;
    if (!start) return;
    const end = this.#stage.clampToPhoto(p.scene);
    const minimum = MIN_BOX / this.#stage.scale;
    if (Math.abs(end.x - start.x) < minimum || Math.abs(end.y - start.y) < minimum) return;
    const box = {
      x0: Math.round(Math.min(start.x, end.x)),
      y0: Math.round(Math.min(start.y, end.y)),
      x1: Math.round(Math.max(start.x, end.x)),
      y1: Math.round(Math.max(start.y, end.y)),
    };
    void this.#stage.editor.boxAt(box, p.event.shiftKey);
  }
}

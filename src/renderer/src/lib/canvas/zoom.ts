// Zoom and pan: the mouse wheel zooms at the pointer, the middle button, Space-drag or the hand tool pans,
// Ctrl+0 fits the photo to the window, Ctrl+1 shows actual pixels. While the view is "fitted" it refits
// when the window changes size.
import { Point, type TPointerEventInfo } from 'fabric';
import type { CanvasHandler, PointerInfo, Stage } from './stage.js';

export const ZOOM_MIN = 0.05;
export const ZOOM_MAX = 32;
/** Room left around a fitted photo, as a share of the view. */
const FIT_MARGIN = 0.94;

export class ZoomHandler implements CanvasHandler {
  readonly #stage: Stage;
  fitted = true;
  panning = false;
  #last: Point | null = null;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  /** The zoom that fits the photo in the view. */
  fitScale(): number {
    const { canvas, photoWidth, photoHeight } = this.#stage;
    return Math.min(canvas.width / photoWidth, canvas.height / photoHeight) * FIT_MARGIN;
  }

  fit(): void {
    const { canvas, photoWidth, photoHeight } = this.#stage;
    const zoom = this.fitScale();
    canvas.setViewportTransform([
      zoom,
      0,
      0,
      zoom,
      (canvas.width - photoWidth * zoom) / 2,
      (canvas.height - photoHeight * zoom) / 2,
    ]);
    this.fitted = true;
    this.#stage.viewChanged();
  }

  /** Zooms to a scale about a point of the view (its centre when none is given). */
  zoomTo(value: number, around?: Point): void {
    const { canvas } = this.#stage;
    const zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, value));
    canvas.zoomToPoint(around ?? new Point(canvas.width / 2, canvas.height / 2), zoom);
    this.fitted = false;
    this.#stage.viewChanged();
  }

  zoomBy(factor: number, around?: Point): void {
    this.zoomTo(this.#stage.canvas.getZoom() * factor, around);
  }

  wheel(o: TPointerEventInfo<WheelEvent>): void {
    const e = o.e;
    e.preventDefault();
    e.stopPropagation();
    // Trackpads send small deltas, wheels large ones; the exponent keeps both smooth.
    const factor = Math.pow(0.998, e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY);
    this.zoomBy(factor, o.viewportPoint);
  }

  down(p: PointerInfo): boolean {
    this.panning = true;
    this.#last = p.viewport;
    this.#stage.updateCursor();
    return true;
  }

  move(p: PointerInfo): void {
    if (!this.panning || !this.#last) return;
    this.panBy(p.viewport.x - this.#last.x, p.viewport.y - this.#last.y);
    this.#last = p.viewport;
  }

  up(): void {
    this.panning = false;
    this.#last = null;
  }

  panBy(dx: number, dy: number): void {
    if (dx === 0 && dy === 0) return;
    this.#stage.canvas.relativePan(new Point(dx, dy));
    this.fitted = false;
    this.#stage.viewChanged();
  }
}

// Before a click, the outline of what a click there would most likely pick (issue 13, point 1: a hover
// outline in < 50 ms). The engine grows it over the cached superpixels of the reduced photo in a few
// milliseconds (hoverOutline). Requests are throttled: one in flight at a time, and only the pointer's
// latest position goes next; a pointer still inside the outline shown asks for nothing.
import { FabricImage } from 'fabric';
import type { Mask } from '@shared/index.js';
import { INERT, LAYER, type CanvasHandler, type PointerInfo, type Stage } from './stage.js';
import { overlayPixels } from './mask-pixels.js';

/** White, fully opaque on a 1-pixel outline at the reduced size; nothing inside. */
const OUTLINE_RGB = [255, 255, 255] as const;

export class HoverOutlineHandler implements CanvasHandler {
  readonly #stage: Stage;
  #image: FabricImage | null = null;
  #shown: Mask | null = null;
  #latest: { x: number; y: number } | null = null;
  #inFlight = false;
  /** Bumped whenever the outline should go: an answer asked for before then is dropped. */
  #generation = 0;
  /** Round trip of the last answer, in milliseconds (the status bar and tests read it). */
  lastMillis: number | null = null;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  /** The outline shown, as its box in photo pixels and its share of the photo (for tests), or null. */
  get shownBox(): { x0: number; y0: number; x1: number; y1: number; share: number } | null {
    const mask = this.#shown;
    if (!mask) return null;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    let count = 0;
    for (let y = 0; y < mask.height; y++) {
      for (let x = 0; x < mask.width; x++) {
        if (mask.data[y * mask.width + x] !== 255) continue;
        count++;
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
    }
    if (count === 0) return null;
    const scale = this.#stage.photoWidth / mask.width;
    return {
      x0: x0 * scale,
      y0: y0 * scale,
      x1: x1 * scale,
      y1: y1 * scale,
      share: count / mask.data.length,
    };
  }

  hover(p: PointerInfo | null): void {
    const editor = this.#stage.editor;
    const wanted =
      p !== null &&
      editor.doc !== null &&
      editor.tool === 'click' &&
      !editor.preview.playing &&
      this.#stage.insidePhoto(p.scene) &&
      this.#stage.overlays.regionAt(p.scene.x, p.scene.y) === null;
    if (!wanted) {
      this.clear();
      return;
    }
    const point = { x: p.scene.x, y: p.scene.y };
    if (this.#shown && holds(this.#shown, this.#stage.photoWidth, point)) return;
    this.#latest = point;
    void this.#pump();
  }

  /** Takes the outline away (the pointer left, a click made a region, another tool was chosen). */
  clear(): void {
    this.#generation++;
    this.#latest = null;
    this.#shown = null;
    if (this.#image) {
      this.#stage.remove(this.#image);
      this.#image = null;
      this.#stage.render();
    }
  }

  async #pump(): Promise<void> {
    const docId = this.#stage.editor.doc?.docId;
    if (this.#inFlight || !this.#latest || !docId) return;
    const point = this.#latest;
    this.#latest = null;
    const generation = this.#generation;
    this.#inFlight = true;
    const started = performance.now();
    try {
      const { mask } = await this.#stage.editor.client.hoverOutline({ docId, point });
      if (generation === this.#generation) {
        this.lastMillis = performance.now() - started;
        this.#draw(mask);
      }
    } catch {
      // The outline is only a hint: when it cannot be had, none is shown (a click still works and says why).
      if (generation === this.#generation) this.clear();
    } finally {
      this.#inFlight = false;
      void this.#pump();
    }
  }

  #draw(mask: Mask): void {
    const element = document.createElement('canvas');
    element.width = mask.width;
    element.height = mask.height;
    const pixels = overlayPixels(mask, OUTLINE_RGB, mask.width, mask.height, 0, 1);
    element
      .getContext('2d')
      ?.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, mask.width, mask.height), 0, 0);
    if (this.#image) this.#stage.remove(this.#image);
    this.#image = new FabricImage(element, {
      left: 0,
      top: 0,
      originX: 'left',
      originY: 'top',
      scaleX: this.#stage.photoWidth / mask.width,
      scaleY: this.#stage.photoHeight / mask.height,
      opacity: 0.9,
      ...INERT,
    });
    this.#shown = mask;
    this.#stage.add(this.#image, LAYER.overlay);
    this.#stage.render();
  }
}

/** Whether a reduced mask holds photo point (x, y). */
function holds(mask: Mask, photoWidth: number, point: { x: number; y: number }): boolean {
  const scale = mask.width / photoWidth;
  const x = Math.min(mask.width - 1, Math.floor(point.x * scale));
  const y = Math.min(mask.height - 1, Math.floor(point.y * scale));
  return mask.data[y * mask.width + x] === 255;
}

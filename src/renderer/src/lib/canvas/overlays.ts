// Regions as coloured overlays: a translucent fill with an opaque outline, the selected one strongest, the
// one under the pointer highlighted. While the preview plays the fills step back to outlines so the motion
// shows. Overlays are drawn once per mask (at most 1600 px on the long side) and reused.
import { FabricImage } from 'fabric';
import type { Region } from '@shared/index.js';
import { INERT, LAYER, type CanvasHandler, type PointerInfo, type Stage } from './stage.js';
import { hexToRgb, maskContains, overlayPixels, overlaySize } from './mask-pixels.js';

const OVERLAY_MAX_SIDE = 1600;

interface Overlay {
  image: FabricImage;
  element: HTMLCanvasElement;
  /** What it was drawn from: redrawn when any of these change. */
  data: Uint8Array;
  color: string;
  outlineOnly: boolean;
}

export class OverlayHandler implements CanvasHandler {
  readonly #stage: Stage;
  #overlays = new Map<string, Overlay>();
  #regions: readonly Region[] = [];
  #hoverFrame = 0;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  sync(
    regions: readonly Region[],
    selectedId: string | null,
    hoverId: string | null,
    playing: boolean,
  ): void {
    this.#regions = regions;
    const visible = regions.filter((r) => r.visible);
    const keep = new Set(visible.map((r) => r.id));
    for (const [id, overlay] of this.#overlays) {
      if (!keep.has(id)) {
        this.#stage.remove(overlay.image);
        this.#overlays.delete(id);
      }
    }
    for (const region of visible) {
      // While the preview plays, fills step back to outlines so the motion itself shows.
      const outlineOnly = playing;
      let overlay = this.#overlays.get(region.id);
      if (
        !overlay ||
        overlay.data !== region.mask.data ||
        overlay.color !== region.color ||
        overlay.outlineOnly !== outlineOnly
      ) {
        if (overlay) this.#stage.remove(overlay.image);
        overlay = this.#draw(region, outlineOnly);
        this.#overlays.set(region.id, overlay);
        this.#stage.add(overlay.image, LAYER.overlay);
      }
      const opacity = region.id === selectedId ? 1 : region.id === hoverId ? 0.95 : playing ? 0.55 : 0.75;
      overlay.image.set({ opacity });
    }
    // Stack in region order (later regions over earlier ones), as the engine composes them.
    const first = this.#stage.canvas
      .getObjects()
      .findIndex((o) => [...this.#overlays.values()].some((v) => v.image === o));
    if (first >= 0) {
      visible.forEach((region, i) => {
        const overlay = this.#overlays.get(region.id);
        if (overlay) this.#stage.canvas.moveObjectTo(overlay.image, first + i);
      });
    }
    this.#stage.render();
  }

  /** The overlay canvas of a region, for the brush to paint on while a stroke is under way. */
  elementOf(regionId: string): HTMLCanvasElement | null {
    return this.#overlays.get(regionId)?.element ?? null;
  }

  /** The topmost visible region at a photo point. */
  regionAt(x: number, y: number): string | null {
    for (let i = this.#regions.length - 1; i >= 0; i--) {
      const region = this.#regions[i]!;
      if (region.visible && maskContains(region.mask, x, y)) return region.id;
    }
    return null;
  }

  hover(p: PointerInfo | null): void {
    cancelAnimationFrame(this.#hoverFrame);
    this.#hoverFrame = requestAnimationFrame(() => {
      const editor = this.#stage.editor;
      const id = p && this.#stage.insidePhoto(p.scene) ? this.regionAt(p.scene.x, p.scene.y) : null;
      if (editor.hoverId !== id) editor.hoverId = id;
    });
  }

  #draw(region: Region, outlineOnly: boolean): Overlay {
    const { width, height } = overlaySize(region.mask, OVERLAY_MAX_SIDE);
    const element = document.createElement('canvas');
    element.width = width;
    element.height = height;
    const pixels = overlayPixels(region.mask, hexToRgb(region.color), width, height, outlineOnly ? 0 : 110);
    element
      .getContext('2d')
      ?.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
    const image = new FabricImage(element, {
      left: 0,
      top: 0,
      originX: 'left',
      originY: 'top',
      scaleX: region.mask.width / width,
      scaleY: region.mask.height / height,
      ...INERT,
    });
    return { image, element, data: region.mask.data, color: region.color, outlineOnly };
  }
}

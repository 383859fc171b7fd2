// Brush (B) and eraser (E): paint a region's mask by hand, as in Runway's motion brush or a Krita
// selection brush. The stroke shows at once on the region's overlay; when the pointer lifts, the new mask
// is one edit (one undo step). The brush with no region selected paints a new region.
import { Circle, FabricImage } from 'fabric';
import type { Mask } from '@shared/index.js';
import { INERT, LAYER, type CanvasHandler, type PointerInfo, type Stage } from './stage.js';
import { hexToRgb, stampLine } from './mask-pixels.js';

export const BRUSH_MIN = 2;
export const BRUSH_MAX = 400;

interface Stroke {
  regionId: string | null;
  erase: boolean;
  mask: Mask;
  last: { x: number; y: number };
  /** Where the stroke shows while under way: the region's overlay, or a scratch layer for a new region. */
  feedback: HTMLCanvasElement;
  scratch: FabricImage | null;
  color: string;
}

export class BrushHandler implements CanvasHandler {
  readonly #stage: Stage;
  #stroke: Stroke | null = null;
  #cursor: Circle | null = null;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  down(p: PointerInfo): boolean {
    const stage = this.#stage;
    const editor = stage.editor;
    const erase = editor.tool === 'eraser';
    const region = editor.selected;
    if (!region && erase) {
      editor.notices.info('Select a region to erase from.');
      return false;
    }
    if (region && !region.visible) {
      editor.notices.info(`${region.name} is hidden; show it to paint on it.`);
      return false;
    }
    const { photoWidth: width, photoHeight: height } = stage;
    const mask: Mask = region
      ? { width, height, data: new Uint8Array(region.mask.data) }
      : { width, height, data: new Uint8Array(width * height) };
    let feedback = region ? stage.overlays.elementOf(region.id) : null;
    let scratch: FabricImage | null = null;
    if (!feedback) {
      feedback = document.createElement('canvas');
      const scale = Math.min(1, 1600 / Math.max(width, height));
      feedback.width = Math.round(width * scale);
      feedback.height = Math.round(height * scale);
      scratch = new FabricImage(feedback, {
        left: 0,
        top: 0,
        originX: 'left',
        originY: 'top',
        scaleX: width / feedback.width,
        scaleY: height / feedback.height,
        ...INERT,
      });
      stage.add(scratch, LAYER.overlay);
    }
    const at = stage.clampToPhoto(p.scene);
    this.#stroke = {
      regionId: region?.id ?? null,
      erase,
      mask,
      last: at,
      feedback,
      scratch,
      color: region?.color ?? '#4f9dff',
    };
    this.#paint(at);
    return true;
  }

  move(p: PointerInfo): void {
    this.hover(p);
    if (this.#stroke) this.#paint(this.#stage.clampToPhoto(p.scene));
  }

  up(): void {
    const stroke = this.#stroke;
    this.#stroke = null;
    if (!stroke) return;
    if (stroke.scratch) this.#stage.remove(stroke.scratch);
    void this.#stage.editor.paintMask(stroke.regionId, stroke.mask, stroke.erase);
  }

  /** The round brush outline under the pointer. */
  hover(p: PointerInfo | null): void {
    const stage = this.#stage;
    const tool = stage.editor.tool;
    // The freeze brush (guides.ts) shows the same round outline.
    const show =
      p !== null && (tool === 'brush' || tool === 'eraser' || tool === 'freeze') && !stage.spaceHeld;
    if (!show) {
      if (this.#cursor) stage.remove(this.#cursor);
      this.#cursor = null;
      return;
    }
    const radius = stage.editor.brushSize / 2;
    if (!this.#cursor) {
      this.#cursor = new Circle({
        fill: 'transparent',
        stroke: '#ffffff',
        ...INERT,
      });
      stage.add(this.#cursor, LAYER.cursor);
    }
    const s = 1 / stage.scale;
    this.#cursor.set({
      left: p.scene.x,
      top: p.scene.y,
      radius,
      strokeWidth: 1.5 * s,
      stroke: tool === 'eraser' ? '#ffb4b4' : tool === 'freeze' ? '#8cd2ff' : '#ffffff',
      shadow: null,
    });
    stage.render();
  }

  #paint(to: { x: number; y: number }): void {
    const stroke = this.#stroke;
    if (!stroke) return;
    const radius = this.#stage.editor.brushSize / 2;
    stampLine(stroke.mask, stroke.last, to, radius, stroke.erase ? 0 : 255);
    const ctx = stroke.feedback.getContext('2d');
    if (ctx) {
      const sx = stroke.feedback.width / stroke.mask.width;
      const [r, g, b] = hexToRgb(stroke.color);
      ctx.save();
      ctx.globalCompositeOperation = stroke.erase ? 'destination-out' : 'source-over';
      ctx.strokeStyle = stroke.erase ? 'rgba(0,0,0,1)' : `rgba(${r}, ${g}, ${b}, 0.55)`;
      ctx.lineWidth = radius * 2 * sx;
      ctx.lineCap = 'round';
      ctx.beginPath();
      ctx.moveTo(stroke.last.x * sx, stroke.last.y * sx);
      ctx.lineTo(to.x * sx + 0.01, to.y * sx);
      ctx.stroke();
      ctx.restore();
    }
    stroke.last = { x: to.x, y: to.y };
    this.#stage.render();
  }
}

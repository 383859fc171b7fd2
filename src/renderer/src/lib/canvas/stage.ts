// The canvas: a fabric Canvas showing the photo, the playing preview, the regions and the tools' marks.
// Each concern is a handler of its own (zoom, overlays, markers, box, brush, pose, arrow, preview, keyboard
// cursor), as in a fabric editor's handler split; the stage only routes pointer gestures and keeps layers
// in order. Svelte state reaches the handlers through the `sync*` calls made by CanvasView's effects.
import { Canvas, FabricImage, Point, type FabricObject, type TPointerEventInfo } from 'fabric';
import type { Editor } from '../editor/editor.svelte.js';
import { ZoomHandler } from './zoom.js';
import { OverlayHandler } from './overlays.js';
import { MarkerHandler } from './markers.js';
import { BoxHandler } from './box-tool.js';
import { BrushHandler } from './brush-tool.js';
import { PoseHandler } from './pose-layer.js';
import { ArrowHandler } from './arrow.js';
import { PreviewLayer } from './preview-layer.js';
import { ClickHandler } from './click-tool.js';
import { HoverOutlineHandler } from './hover-outline.js';
import { GuideHandler } from './guides.js';

export const LAYER = {
  photo: 0,
  preview: 1,
  overlay: 2,
  arrow: 3,
  /** Motion paths, anchors and the freeze wash (guides.ts): over the arrow, under the markers. */
  guides: 3.5,
  markers: 4,
  pose: 5,
  box: 6,
  cursor: 7,
} as const;

/**
 * What the stage draws is never picked or moved by fabric (the handlers read the pointer themselves), and
 * is redrawn whole when it changes, so fabric's per-object cache would only cost memory.
 */
export const INERT = { selectable: false, evented: false, objectCaching: false } as const;

/** A full-size image placed at the photo's origin (the photo and the preview frames). */
export const AT_PHOTO_ORIGIN = { left: 0, top: 0, originX: 'left', originY: 'top' } as const;

export interface PointerInfo {
  scene: Point;
  viewport: Point;
  event: MouseEvent | PointerEvent;
}

export interface CanvasHandler {
  /** A pointer went down; returning true takes the gesture (moves and the release come here). */
  down?(p: PointerInfo): boolean;
  move?(p: PointerInfo): void;
  up?(p: PointerInfo): void;
  /** Pointer moves with no gesture under way (hover, brush cursor). */
  hover?(p: PointerInfo | null): void;
  /** The view zoomed or panned: resize what keeps its size on screen. */
  viewChanged?(): void;
}

export class Stage {
  readonly canvas: Canvas;
  readonly editor: Editor;
  readonly zoom: ZoomHandler;
  readonly overlays: OverlayHandler;
  readonly markers: MarkerHandler;
  readonly box: BoxHandler;
  readonly brush: BrushHandler;
  readonly pose: PoseHandler;
  readonly arrow: ArrowHandler;
  readonly previewLayer: PreviewLayer;
  readonly clicks: ClickHandler;
  readonly hoverOutline: HoverOutlineHandler;
  readonly guides: GuideHandler;
  photoWidth = 1;
  photoHeight = 1;
  #photo: FabricImage | null = null;
  #layers = new WeakMap<FabricObject, number>();
  #active: CanvasHandler | null = null;
  #spaceHeld = false;
  #onViewChange: (() => void) | null = null;

  constructor(element: HTMLCanvasElement, editor: Editor) {
    this.editor = editor;
    this.canvas = new Canvas(element, {
      selection: false,
      preserveObjectStacking: true,
      renderOnAddRemove: false,
      fireMiddleClick: true,
      stopContextMenu: true,
      skipTargetFind: true,
      defaultCursor: 'crosshair',
      backgroundColor: '',
      imageSmoothingEnabled: true,
    });
    this.zoom = new ZoomHandler(this);
    this.overlays = new OverlayHandler(this);
    this.markers = new MarkerHandler(this);
    this.box = new BoxHandler(this);
    this.brush = new BrushHandler(this);
    this.pose = new PoseHandler(this);
    this.arrow = new ArrowHandler(this);
    this.previewLayer = new PreviewLayer(this);
    this.clicks = new ClickHandler(this);
    this.hoverOutline = new HoverOutlineHandler(this);
    this.guides = new GuideHandler(this);

    this.canvas.on('mouse:down', (o) => this.#down(o));
    this.canvas.on('mouse:move', (o) => this.#move(o));
    this.canvas.on('mouse:up', (o) => this.#up(o));
    this.canvas.on('mouse:out', () => this.#hover(null));
    this.canvas.on('mouse:wheel', (o) => this.zoom.wheel(o));
  }

  get spaceHeld(): boolean {
    return this.#spaceHeld;
  }
  setSpaceHeld(held: boolean): void {
    this.#spaceHeld = held;
    this.updateCursor();
  }

  onViewChange(listener: () => void): void {
    this.#onViewChange = listener;
  }

  async setPhoto(url: string, width: number, height: number): Promise<void> {
    const image = await FabricImage.fromURL(url);
    this.hoverOutline.clear();
    if (this.#photo) this.canvas.remove(this.#photo);
    image.set({ ...AT_PHOTO_ORIGIN, ...INERT });
    this.#photo = image;
    this.photoWidth = width;
    this.photoHeight = height;
    this.add(image, LAYER.photo);
    this.zoom.fit();
  }

  clearPhoto(): void {
    this.hoverOutline.clear();
    if (this.#photo) this.canvas.remove(this.#photo);
    this.#photo = null;
    this.render();
  }

  resize(width: number, height: number): void {
    const before = { width: this.canvas.width, height: this.canvas.height };
    this.canvas.setDimensions({ width, height });
    if (this.zoom.fitted || before.width <= 1) this.zoom.fit();
    else this.render();
    this.viewChanged();
  }

  /** Adds an object in its layer; everything stays in layer order. */
  add(object: FabricObject, layer: number): void {
    this.#layers.set(object, layer);
    const objects = this.canvas.getObjects();
    let index = objects.length;
    for (let i = 0; i < objects.length; i++) {
      if ((this.#layers.get(objects[i]!) ?? 0) > layer) {
        index = i;
        break;
      }
    }
    this.canvas.insertAt(index, object);
    this.render();
  }

  remove(...objects: FabricObject[]): void {
    this.canvas.remove(...objects);
    this.render();
  }

  render(): void {
    this.canvas.requestRenderAll();
  }

  /** Screen pixels per photo pixel. */
  get scale(): number {
    return this.canvas.getZoom();
  }

  /** Where a photo pixel is in the page (client coordinates), for tests and the keyboard cursor. */
  photoToClient(x: number, y: number): { x: number; y: number } {
    const v = this.canvas.viewportTransform;
    const rect = this.canvas.upperCanvasEl.getBoundingClientRect();
    return { x: rect.left + x * v[0] + v[4], y: rect.top + y * v[3] + v[5] };
  }

  /** The photo's long side as shown when fitted, in CSS pixels (the preview renders at about this size). */
  get shownLongSide(): number {
    return Math.max(this.photoWidth, this.photoHeight) * this.zoom.fitScale();
  }

  viewChanged(): void {
    for (const handler of this.#handlers()) handler.viewChanged?.();
    this.#onViewChange?.();
    this.render();
  }

  updateCursor(): void {
    const tool = this.editor.tool;
    const cursor =
      this.#spaceHeld || tool === 'hand'
        ? this.zoom.panning
          ? 'grabbing'
          : 'grab'
        : tool === 'brush' || tool === 'eraser' || tool === 'freeze'
          ? 'none'
          : tool === 'pose'
            ? 'default'
            : 'crosshair';
    this.canvas.defaultCursor = cursor;
    this.canvas.setCursor(cursor);
  }

  async dispose(): Promise<void> {
    this.previewLayer.dispose();
    await this.canvas.dispose();
  }

  #handlers(): CanvasHandler[] {
    return [
      this.zoom,
      this.overlays,
      this.markers,
      this.box,
      this.brush,
      this.pose,
      this.arrow,
      this.clicks,
      this.guides,
    ];
  }

  /** Who gets a gesture: panning first, then what is under the pointer, then the tool. */
  #route(p: PointerInfo): CanvasHandler | null {
    const tool = this.editor.tool;
    const button = 'button' in p.event ? p.event.button : 0;
    if (button === 1 || this.#spaceHeld || tool === 'hand') return this.zoom;
    if (button !== 0) return null;
    if (tool === 'pose') return this.pose;
    if (tool === 'box') return this.box;
    if (tool === 'brush' || tool === 'eraser') return this.brush;
    if (tool === 'path' || tool === 'anchor' || tool === 'freeze') return this.guides;
    // The click tool: a marker or the arrow head under the pointer first, then a click on the photo.
    if (this.markers.down(p)) return this.markers;
    if (this.arrow.down(p)) return this.arrow;
    return this.clicks;
  }

  #info(o: TPointerEventInfo): PointerInfo {
    return { scene: o.scenePoint, viewport: o.viewportPoint, event: o.e as MouseEvent };
  }

  #down(o: TPointerEventInfo): void {
    if (!this.editor.doc) return;
    this.hoverOutline.clear();
    const p = this.#info(o);
    const handler = this.#route(p);
    if (!handler) return;
    if (handler === this.markers || handler === this.arrow) {
      this.#active = handler;
      return;
    }
    if (handler.down?.(p)) this.#active = handler;
  }

  #move(o: TPointerEventInfo): void {
    const p = this.#info(o);
    if (this.#active) this.#active.move?.(p);
    else this.#hover(p);
  }

  #up(o: TPointerEventInfo): void {
    const active = this.#active;
    this.#active = null;
    active?.up?.(this.#info(o));
    this.updateCursor();
  }

  #hover(p: PointerInfo | null): void {
    this.overlays.hover?.(p);
    this.brush.hover?.(p);
    this.hoverOutline.hover(p);
    this.guides.hover(p);
  }

  /** A point in the photo, clamped inside it. */
  clampToPhoto(point: { x: number; y: number }): Point {
    return new Point(
      Math.min(this.photoWidth - 0.5, Math.max(0, point.x)),
      Math.min(this.photoHeight - 0.5, Math.max(0, point.y)),
    );
  }

  insidePhoto(point: { x: number; y: number }): boolean {
    return point.x >= 0 && point.y >= 0 && point.x < this.photoWidth && point.y < this.photoHeight;
  }
}

// Motion guides of the selected region (issue 13, point 5), drawn on the canvas and edited with three tools:
// - Path (L): click, click, ... double-click draws a motion path (a polyline, shown with an arrowhead at its
//   end); two clicks make an arrow. A path's points can be dragged; Alt-click on a point deletes its path.
// - Anchor (A): a click places a pin where the region holds still; a click on a pin removes it.
// - Freeze (F): paints where the region holds still (Alt paints the thaw, taking freeze back); the frozen
//   area shows as a pale blue wash.
// Each finished gesture is one edit (one undo step); the preview re-renders the region from its motion.
import { Circle, FabricImage, Line, Polygon, Polyline, type FabricObject } from 'fabric';
import type { FreezeStroke, Point, Region } from '@shared/index.js';
import { INERT, LAYER, type CanvasHandler, type PointerInfo, type Stage } from './stage.js';

/** Screen pixels within which a pointer hits a path point or a pin. */
const HIT = 10;
/** Longest side of the freeze wash's raster (it is shown scaled to the photo). */
const WASH_SIDE = 1200;
/** The wash's colour, painted opaque and shown at WASH_OPACITY (overlapping strokes do not darken). */
const FREEZE_RGB = 'rgb(140, 210, 255)';
const WASH_OPACITY = 0.5;
/**
 * A freeze stroke keeps a point once the pointer has moved this share of the brush radius (the stroke is
 * stamped along the segments between its points, so spacing changes only how closely it follows a curve).
 */
const STROKE_SPACING = 0.75;

interface PathDrag {
  regionId: string;
  pathIndex: number;
  pointIndex: number;
  at: Point;
}

interface FreezeDraft {
  regionId: string;
  stroke: FreezeStroke;
}

export class GuideHandler implements CanvasHandler {
  readonly #stage: Stage;
  #region: Region | null = null;
  #objects: FabricObject[] = [];
  #draftObjects: FabricObject[] = [];
  /** Points of the path being drawn (photo pixels). */
  #draft: Point[] = [];
  #hoverPoint: Point | null = null;
  #drag: PathDrag | null = null;
  #freeze: FreezeDraft | null = null;
  #wash: { image: FabricImage; canvas: HTMLCanvasElement; strokes: readonly FreezeStroke[] } | null = null;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  /** Shows the guides of the selected region (none when it is hidden or nothing is selected). */
  sync(region: Region | null): void {
    const next = region && region.visible ? region : null;
    // Another region or another tool drops a path being drawn.
    if (next?.id !== this.#region?.id || this.#stage.editor.tool !== 'path') this.cancelDraft();
    this.#region = next;
    if (this.#drag || this.#freeze) return;
    this.#redraw();
  }

  /** Points of the path being drawn, for tests and the status line. */
  get draft(): readonly Point[] {
    return this.#draft;
  }

  /** Drops a path being drawn; true when there was one (Escape). */
  cancelDraft(): boolean {
    const had = this.#draft.length > 0;
    this.#draft = [];
    this.#hoverPoint = null;
    this.#redrawDraft();
    return had;
  }

  viewChanged(): void {
    this.#redraw();
    this.#redrawDraft();
  }

  down(p: PointerInfo): boolean {
    const stage = this.#stage;
    const editor = stage.editor;
    const region = this.#region;
    if (!region) {
      editor.notices.info(
        editor.selected ? `${editor.selected.name} is hidden; show it first.` : 'Select a region first.',
      );
      return false;
    }
    const at = stage.clampToPhoto(p.scene);
    const tool = editor.tool;
    if (tool === 'anchor') {
      const pin = this.#hitAnchor(p.scene);
      if (pin >= 0) editor.removeAnchor(region.id, pin);
      else editor.addAnchor(region.id, { x: at.x, y: at.y });
      return false;
    }
    if (tool === 'freeze') {
      this.#freeze = {
        regionId: region.id,
        stroke: { radius: editor.brushSize / 2, erase: p.event.altKey, points: [{ x: at.x, y: at.y }] },
      };
      this.#paintWash(this.#freeze.stroke, 0);
      return true;
    }
    // Path tool: a point of a path under the pointer is dragged (or, with Alt, deletes its path).
    const hit = this.#draft.length === 0 ? this.#hitPathPoint(p.scene) : null;
    if (hit) {
      if (p.event.altKey) {
        editor.deletePath(region.id, hit.pathIndex);
        return false;
      }
      this.#drag = { regionId: region.id, ...hit, at };
      return true;
    }
    const last = this.#draft.at(-1);
    const repeat = last !== undefined && Math.hypot(last.x - at.x, last.y - at.y) * stage.scale < HIT;
    if (p.event.detail >= 2 || repeat) {
      // A double-click ends the path (its second click lands on the point the first one placed).
      if (!repeat) this.#draft.push({ x: at.x, y: at.y });
      this.#finishDraft(region.id);
      return false;
    }
    this.#draft.push({ x: at.x, y: at.y });
    this.#redrawDraft();
    return false;
  }

  move(p: PointerInfo): void {
    const at = this.#stage.clampToPhoto(p.scene);
    if (this.#drag) {
      this.#drag.at = at;
      this.#redraw();
      return;
    }
    const draft = this.#freeze;
    if (draft) {
      const last = draft.stroke.points.at(-1)!;
      if (Math.hypot(last.x - at.x, last.y - at.y) < draft.stroke.radius * STROKE_SPACING) return;
      draft.stroke.points.push({ x: at.x, y: at.y });
      this.#paintWash(draft.stroke, draft.stroke.points.length - 1);
    }
  }

  up(): void {
    const editor = this.#stage.editor;
    const drag = this.#drag;
    this.#drag = null;
    if (drag) editor.movePathPoint(drag.regionId, drag.pathIndex, drag.pointIndex, drag.at);
    const freeze = this.#freeze;
    this.#freeze = null;
    if (freeze) editor.addFreezeStroke(freeze.regionId, freeze.stroke);
    this.#redraw();
  }

  /** The rubber band from the path's last point to the pointer. */
  hover(p: PointerInfo | null): void {
    if (this.#stage.editor.tool !== 'path' || this.#draft.length === 0) return;
    this.#hoverPoint = p ? this.#stage.clampToPhoto(p.scene) : null;
    this.#redrawDraft();
  }

  #finishDraft(regionId: string): void {
    const path = this.#draft;
    this.#draft = [];
    this.#hoverPoint = null;
    this.#redrawDraft();
    if (path.length >= 2) this.#stage.editor.addPath(regionId, path);
    else
      this.#stage.editor.notices.info(
        'A path needs two points: click where it starts, double-click where it ends.',
      );
  }

  #hitPathPoint(scene: Point): { pathIndex: number; pointIndex: number } | null {
    const paths = this.#region?.motion.paths ?? [];
    const reach = HIT / this.#stage.scale;
    for (let i = paths.length - 1; i >= 0; i--) {
      const k = paths[i]!.findIndex((q) => Math.hypot(q.x - scene.x, q.y - scene.y) <= reach);
      if (k >= 0) return { pathIndex: i, pointIndex: k };
    }
    return null;
  }

  #hitAnchor(scene: Point): number {
    const anchors = this.#region?.motion.anchors ?? [];
    const reach = HIT / this.#stage.scale;
    return anchors.findIndex((a) => Math.hypot(a.x - scene.x, a.y - scene.y) <= reach);
  }

  #redraw(): void {
    const stage = this.#stage;
    if (this.#objects.length > 0) stage.remove(...this.#objects);
    this.#objects = [];
    const region = this.#region;
    this.#syncWash(region);
    if (!region) return;
    const s = 1 / stage.scale;
    const editing = stage.editor.tool === 'path';
    for (const [i, stored] of region.motion.paths.entries()) {
      const drag = this.#drag;
      const path =
        drag && drag.pathIndex === i ? stored.map((q, k) => (k === drag.pointIndex ? drag.at : q)) : stored;
      this.#objects.push(...arrowedLine(path, s, region.color));
      if (editing) {
        for (const q of path) {
          this.#objects.push(
            new Circle({
              ...INERT,
              left: q.x,
              top: q.y,
              originX: 'center',
              originY: 'center',
              radius: 4.5 * s,
              fill: '#ffffff',
              stroke: '#101114',
              strokeWidth: 1.5 * s,
            }),
          );
        }
      }
    }
    for (const anchor of region.motion.anchors) this.#objects.push(...pin(anchor, s));
    for (const object of this.#objects) stage.add(object, LAYER.guides);
  }

  #redrawDraft(): void {
    const stage = this.#stage;
    if (this.#draftObjects.length > 0) stage.remove(...this.#draftObjects);
    this.#draftObjects = [];
    if (this.#draft.length === 0) return;
    const s = 1 / stage.scale;
    const points = this.#hoverPoint ? [...this.#draft, this.#hoverPoint] : this.#draft;
    if (points.length >= 2) {
      this.#draftObjects.push(...arrowedLine(points, s, '#ffffff', true));
    }
    for (const q of this.#draft) {
      this.#draftObjects.push(
        new Circle({
          ...INERT,
          left: q.x,
          top: q.y,
          originX: 'center',
          originY: 'center',
          radius: 4 * s,
          fill: '#ffffff',
          stroke: '#101114',
          strokeWidth: 1.5 * s,
        }),
      );
    }
    for (const object of this.#draftObjects) stage.add(object, LAYER.guides);
  }

  /** The frozen area as a pale wash over the photo, redrawn when the region's strokes change. */
  #syncWash(region: Region | null): void {
    const strokes = region?.motion.freeze ?? [];
    if (this.#wash && this.#wash.strokes === strokes) return;
    if (this.#wash) this.#stage.remove(this.#wash.image);
    this.#wash = null;
    if (!region || strokes.length === 0) return;
    const { photoWidth: width, photoHeight: height } = this.#stage;
    const scale = Math.min(1, WASH_SIDE / Math.max(width, height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const image = new FabricImage(canvas, {
      ...INERT,
      left: 0,
      top: 0,
      originX: 'left',
      originY: 'top',
      scaleX: width / canvas.width,
      scaleY: height / canvas.height,
      opacity: WASH_OPACITY,
    });
    this.#wash = { image, canvas, strokes };
    for (const stroke of strokes) this.#paintWash(stroke, 0);
    this.#stage.add(image, LAYER.guides);
  }

  /** Paints a stroke (from point `from` on) into the wash, making the wash when there is none yet. */
  #paintWash(stroke: FreezeStroke, from: number): void {
    if (!this.#wash) {
      this.#syncWash(
        this.#region ? { ...this.#region, motion: { ...this.#region.motion, freeze: [stroke] } } : null,
      );
      return;
    }
    const { canvas } = this.#wash;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const sx = canvas.width / this.#stage.photoWidth;
    ctx.save();
    ctx.globalCompositeOperation = stroke.erase ? 'destination-out' : 'source-over';
    ctx.strokeStyle = stroke.erase ? 'rgba(0,0,0,1)' : FREEZE_RGB;
    ctx.fillStyle = ctx.strokeStyle;
    ctx.lineWidth = stroke.radius * 2 * sx;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    const points = stroke.points;
    ctx.beginPath();
    const start = points[Math.max(0, from - 1)]!;
    ctx.moveTo(start.x * sx, start.y * sx);
    for (let k = Math.max(0, from - 1); k < points.length; k++)
      ctx.lineTo(points[k]!.x * sx + 0.01, points[k]!.y * sx);
    ctx.stroke();
    ctx.restore();
    this.#wash.image.set({ dirty: true });
    this.#stage.render();
  }
}

/** A polyline with an arrowhead at its last point, outlined so it reads over any photo. */
function arrowedLine(path: readonly Point[], s: number, color: string, dashed = false): FabricObject[] {
  const head = path.at(-1)!;
  let tail = path.at(-2)!;
  for (let k = path.length - 2; k >= 0 && Math.hypot(head.x - tail.x, head.y - tail.y) < 1e-6; k--)
    tail = path[k]!;
  const length = Math.hypot(head.x - tail.x, head.y - tail.y) || 1;
  const dx = (head.x - tail.x) / length;
  const dy = (head.y - tail.y) / length;
  const wing = 11 * s;
  const back = { x: head.x - dx * wing * 1.4, y: head.y - dy * wing * 1.4 };
  const body = [...path.slice(0, -1), back].map((q) => ({ x: q.x, y: q.y }));
  const line = { ...INERT, fill: '', strokeLineCap: 'round', strokeLineJoin: 'round' } as const;
  return [
    new Polyline(body, { ...line, stroke: '#101114', strokeWidth: 6 * s, opacity: 0.5 }),
    new Polyline(body, {
      ...line,
      stroke: color,
      strokeWidth: 3 * s,
      strokeDashArray: dashed ? [8 * s, 6 * s] : null,
    }),
    new Polygon(
      [
        head,
        { x: back.x - dy * wing * 0.8, y: back.y + dx * wing * 0.8 },
        { x: back.x + dy * wing * 0.8, y: back.y - dx * wing * 0.8 },
      ],
      { ...INERT, fill: color, stroke: '#101114', strokeWidth: 1.2 * s },
    ),
  ];
}

/** An anchor: a pin head over a short needle to the point it holds. */
function pin(at: Point, s: number): FabricObject[] {
  const top = { x: at.x, y: at.y - 14 * s };
  return [
    new Line([at.x, at.y, top.x, top.y], { ...INERT, stroke: '#101114', strokeWidth: 2.5 * s }),
    new Circle({
      ...INERT,
      left: top.x,
      top: top.y,
      originX: 'center',
      originY: 'center',
      radius: 6 * s,
      fill: '#ff5c5c',
      stroke: '#ffffff',
      strokeWidth: 1.5 * s,
    }),
    new Circle({
      ...INERT,
      left: at.x,
      top: at.y,
      originX: 'center',
      originY: 'center',
      radius: 2.5 * s,
      fill: '#ffffff',
      stroke: '#101114',
      strokeWidth: 1 * s,
    }),
  ];
}

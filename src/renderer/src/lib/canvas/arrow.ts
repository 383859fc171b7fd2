// The direction arrow: from the selected region's centre toward its motion's direction, as long as the
// motion travels in half a second (at least a little, at most a third of the photo). Dragging its head
// turns it (the direction, degrees counter-clockwise from pointing right, y up as in the model).
import { Circle, Line, Polygon, type FabricObject } from 'fabric';
import type { Region } from '@shared/index.js';
import { INERT, LAYER, type CanvasHandler, type PointerInfo, type Stage } from './stage.js';
import { maskCentroid } from './mask-pixels.js';

const HEAD_HIT = 12;

export function arrowLength(strength: number, fps: number, longSide: number): number {
  // Strength is pixels per frame at a 512-pixel long side (QUALITY.md).
  const travel = strength * fps * 0.5 * (longSide / 512);
  return Math.min(longSide / 3, Math.max(longSide * 0.06, travel));
}

export function directionTo(from: { x: number; y: number }, to: { x: number; y: number }): number {
  const degrees = (Math.atan2(-(to.y - from.y), to.x - from.x) * 180) / Math.PI;
  return Math.round((degrees + 360) % 360);
}

export class ArrowHandler implements CanvasHandler {
  readonly #stage: Stage;
  #objects: FabricObject[] = [];
  #region: Region | null = null;
  #fps = 24;
  #origin: { x: number; y: number } | null = null;
  #head: { x: number; y: number } | null = null;
  #dragging = false;
  #centroids = new WeakMap<Uint8Array, { x: number; y: number } | null>();

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  sync(region: Region | null, fps: number): void {
    if (this.#dragging) return;
    this.#region = region && region.visible && region.motion.direction !== null ? region : null;
    this.#fps = fps;
    this.#redraw(this.#region?.motion.direction ?? 0);
  }

  /** Where the arrow's head is, in photo pixels (null when no arrow shows). */
  get head(): { x: number; y: number } | null {
    return this.#head;
  }

  viewChanged(): void {
    if (this.#region && !this.#dragging) this.#redraw(this.#region.motion.direction ?? 0);
  }

  down(p: PointerInfo): boolean {
    if (!this.#head) return false;
    const hit =
      Math.hypot(this.#head.x - p.scene.x, this.#head.y - p.scene.y) <= HEAD_HIT / this.#stage.scale;
    this.#dragging = hit;
    return hit;
  }

  move(p: PointerInfo): void {
    if (!this.#dragging || !this.#origin) return;
    this.#redraw(directionTo(this.#origin, p.scene));
  }

  up(p: PointerInfo): void {
    if (!this.#dragging) return;
    this.#dragging = false;
    const region = this.#region;
    if (!region || !this.#origin) return;
    this.#stage.editor.setMotion(region.id, { direction: directionTo(this.#origin, p.scene) });
  }

  #redraw(direction: number): void {
    if (this.#objects.length > 0) this.#stage.remove(...this.#objects);
    this.#objects = [];
    this.#head = null;
    const region = this.#region;
    if (!region) return;
    let origin = this.#centroids.get(region.mask.data);
    if (origin === undefined) {
      origin = maskCentroid(region.mask);
      this.#centroids.set(region.mask.data, origin);
    }
    if (!origin) return;
    this.#origin = origin;
    const s = 1 / this.#stage.scale;
    const length = arrowLength(
      region.motion.strength,
      this.#fps,
      Math.max(region.mask.width, region.mask.height),
    );
    const rad = (direction * Math.PI) / 180;
    const dx = Math.cos(rad);
    const dy = -Math.sin(rad);
    const head = { x: origin.x + dx * length, y: origin.y + dy * length };
    this.#head = head;
    const wing = 12 * s;
    const back = { x: head.x - dx * wing * 1.4, y: head.y - dy * wing * 1.4 };
    this.#objects = [
      new Line([origin.x, origin.y, back.x, back.y], {
        ...INERT,
        stroke: '#101114',
        strokeWidth: 6 * s,
        opacity: 0.5,
        strokeLineCap: 'round',
      }),
      new Line([origin.x, origin.y, back.x, back.y], {
        ...INERT,
        stroke: '#ffffff',
        strokeWidth: 3 * s,
        strokeLineCap: 'round',
      }),
      new Polygon(
        [
          head,
          { x: back.x - dy * wing * 0.8, y: back.y + dx * wing * 0.8 },
          { x: back.x + dy * wing * 0.8, y: back.y - dx * wing * 0.8 },
        ],
        { ...INERT, fill: '#ffffff', stroke: '#101114', strokeWidth: 1.2 * s },
      ),
      new Circle({
        ...INERT,
        left: origin.x,
        top: origin.y,
        radius: 4 * s,
        fill: region.color,
        stroke: '#ffffff',
        strokeWidth: 1.5 * s,
      }),
    ];
    for (const object of this.#objects) this.#stage.add(object, LAYER.arrow);
  }
}

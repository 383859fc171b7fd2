// Click markers: where the selected region was clicked, green with a plus for clicks that add, red with a
// minus for clicks that remove. Clicking a marker takes that click away and the region is found again.
import { Circle, Group, Line, type FabricObject } from 'fabric';
import type { Click } from '@shared/index.js';
import { INERT, LAYER, type CanvasHandler, type PointerInfo, type Stage } from './stage.js';

/** Marker radius and hit distance, in screen pixels. */
const RADIUS = 7;
const HIT = 10;

export class MarkerHandler implements CanvasHandler {
  readonly #stage: Stage;
  #objects: FabricObject[] = [];
  #regionId: string | null = null;
  #clicks: readonly Click[] = [];
  #pressed: number | null = null;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  sync(regionId: string | null, clicks: readonly Click[], visible: boolean): void {
    this.#regionId = regionId;
    this.#clicks = visible ? clicks : [];
    this.#redraw();
  }

  viewChanged(): void {
    if (this.#clicks.length > 0) this.#redraw();
  }

  /** The marker under a point, if any. */
  hit(scene: { x: number; y: number }): number | null {
    const reach = HIT / this.#stage.scale;
    let best: number | null = null;
    let bestDistance = reach;
    this.#clicks.forEach((c, i) => {
      const d = Math.hypot(c.x - scene.x, c.y - scene.y);
      if (d <= bestDistance) {
        best = i;
        bestDistance = d;
      }
    });
    return best;
  }

  down(p: PointerInfo): boolean {
    this.#pressed = this.hit(p.scene);
    return this.#pressed !== null;
  }

  up(p: PointerInfo): void {
    const index = this.#pressed;
    this.#pressed = null;
    if (index === null || this.hit(p.scene) !== index || !this.#regionId) return;
    void this.#stage.editor.removeClick(this.#regionId, index);
  }

  #redraw(): void {
    if (this.#objects.length > 0) this.#stage.remove(...this.#objects);
    const s = 1 / this.#stage.scale;
    this.#objects = this.#clicks.map((click) => {
      const r = RADIUS * s;
      const color = click.positive ? '#2fbf71' : '#ff5c5c';
      const parts: FabricObject[] = [
        new Circle({
          radius: r,
          left: click.x,
          top: click.y,
          fill: color,
          stroke: '#ffffff',
          strokeWidth: 1.5 * s,
        }),
        new Line([click.x - r * 0.5, click.y, click.x + r * 0.5, click.y], {
          stroke: '#ffffff',
          strokeWidth: 1.6 * s,
        }),
      ];
      if (click.positive) {
        parts.push(
          new Line([click.x, click.y - r * 0.5, click.x, click.y + r * 0.5], {
            stroke: '#ffffff',
            strokeWidth: 1.6 * s,
          }),
        );
      }
      return new Group(parts, INERT);
    });
    for (const object of this.#objects) this.#stage.add(object, LAYER.markers);
  }
}

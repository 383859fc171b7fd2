// The pose skeleton: OpenPose's 18 joints and their limbs, drawn in OpenPose's colours for the selected
// region at the playhead's time. With the pose tool (P) a joint can be dragged; letting go keys the pose
// at that time (a new keyframe between keyframes, an edit on one).
import { Circle, Line, type FabricObject } from 'fabric';
import type { Point, Pose } from '@shared/index.js';
import { INERT, LAYER, type CanvasHandler, type PointerInfo, type Stage } from './stage.js';
import { LIMBS, poseColor } from '../pose/skeleton.js';
import { poseAt, setJoint } from '../pose/interpolate.js';

const JOINT_RADIUS = 5;
const JOINT_HIT = 11;
const LIMB_WIDTH = 4;

export class PoseHandler implements CanvasHandler {
  readonly #stage: Stage;
  #regionId: string | null = null;
  #pose: Pose | null = null;
  #time = 0;
  #joints: Array<Point | null> = [];
  #circles: Array<Circle | null> = [];
  #limbs: Array<Line | null> = [];
  #dragging: number | null = null;
  #editable = false;

  constructor(stage: Stage) {
    this.#stage = stage;
  }

  sync(regionId: string | null, pose: Pose | null, time: number, editable: boolean): void {
    if (this.#dragging !== null) return;
    this.#regionId = regionId;
    this.#pose = pose;
    this.#time = time;
    this.#editable = editable;
    this.#joints = pose ? poseAt(pose, time) : [];
    this.#redraw();
  }

  viewChanged(): void {
    if (this.#pose) this.#redraw();
  }

  /** The joints as drawn now (photo pixels), at the playhead's time. */
  get joints(): ReadonlyArray<Point | null> {
    return this.#joints;
  }

  hitJoint(scene: { x: number; y: number }): number | null {
    const reach = JOINT_HIT / this.#stage.scale;
    let best: number | null = null;
    let bestDistance = reach;
    this.#joints.forEach((j, i) => {
      if (!j) return;
      const d = Math.hypot(j.x - scene.x, j.y - scene.y);
      if (d <= bestDistance) {
        best = i;
        bestDistance = d;
      }
    });
    return best;
  }

  down(p: PointerInfo): boolean {
    const editor = this.#stage.editor;
    if (!this.#pose) {
      const region = editor.selected;
      if (region) editor.addPose(region.id);
      else editor.notices.info('Select a region, then add a skeleton to it (Pose in the region panel).');
      return false;
    }
    const joint = this.hitJoint(p.scene);
    if (joint === null) return false;
    // A joint is keyed at the playhead, which must be inside the region's active time.
    const region = editor.regions.find((r) => r.id === this.#regionId);
    if (!region || editor.poseKeyTime(region) === null) return false;
    this.#dragging = joint;
    return true;
  }

  move(p: PointerInfo): void {
    if (this.#dragging === null) return;
    const at = this.#stage.clampToPhoto(p.scene);
    this.#joints[this.#dragging] = { x: at.x, y: at.y };
    this.#place();
    this.#stage.render();
  }

  up(): void {
    const joint = this.#dragging;
    this.#dragging = null;
    const point = joint === null ? null : this.#joints[joint];
    if (joint === null || !point || !this.#pose || !this.#regionId) return;
    const rounded = { x: Math.round(point.x * 10) / 10, y: Math.round(point.y * 10) / 10 };
    this.#stage.editor.setPose(
      this.#regionId,
      setJoint(this.#pose, this.#time, joint, rounded),
      'Move joint',
    );
  }

  #redraw(): void {
    const old = [...this.#circles, ...this.#limbs].filter((o): o is Circle | Line => o !== null);
    if (old.length > 0) this.#stage.remove(...(old as FabricObject[]));
    this.#circles = [];
    this.#limbs = [];
    if (!this.#pose) return;
    const s = 1 / this.#stage.scale;
    this.#limbs = LIMBS.map(([a, b], i) => {
      if (!this.#joints[a] || !this.#joints[b]) return null;
      const line = new Line([0, 0, 0, 0], {
        stroke: poseColor(i),
        strokeWidth: LIMB_WIDTH * s,
        opacity: 0.85,
        strokeLineCap: 'round',
        ...INERT,
      });
      this.#stage.add(line, LAYER.pose);
      return line;
    });
    this.#circles = this.#joints.map((j, i) => {
      if (!j) return null;
      const circle = new Circle({
        radius: (this.#editable ? JOINT_RADIUS + 1 : JOINT_RADIUS) * s,
        fill: poseColor(i),
        stroke: '#101114',
        strokeWidth: 1.5 * s,
        ...INERT,
      });
      this.#stage.add(circle, LAYER.pose);
      return circle;
    });
    this.#place();
  }

  #place(): void {
    LIMBS.forEach(([a, b], i) => {
      const line = this.#limbs[i];
      const ja = this.#joints[a];
      const jb = this.#joints[b];
      if (line && ja && jb) line.set({ x1: ja.x, y1: ja.y, x2: jb.x, y2: jb.y });
      line?.setCoords();
    });
    this.#joints.forEach((j, i) => {
      const circle = this.#circles[i];
      if (circle && j) circle.set({ left: j.x, top: j.y });
    });
  }
}

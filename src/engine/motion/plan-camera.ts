// Camera motions on a whole-photo region (issue 3, point 3): zoom in and out, push in, pull back, pan and
// tilt. The view is a scale about the photo's centre and an offset; panning zooms in just enough that the
// view never leaves the photo, and zooming out shows a blurred copy of the photo beyond its edges.
// Strength is measured as optical flow would see it: the mean displacement at each output pixel.
import { boxBlur } from './blur.js';
import { unitVector } from './layers.js';
import { POSE_STRIDE, sharedFloat32, sharedUint8, type CameraRegionPlan, type PlanRequest } from './plan.js';
import type { PlannedRegion } from './plan-layer.js';
import type { CameraPrimitive } from './spec.js';
import { motionTime, strengthPairs, type RegionClock } from './timing.js';

export interface CameraRequest extends PlanRequest {
  photo: Uint8Array;
  motion: CameraPrimitive;
}

/** The furthest a looping camera goes before it turns back: 2.5x zoom, or a third of the frame of pan. */
const MOST_ZOOM = Math.log(2.5);
const MOST_PAN = 0.3;

interface View {
  zoom: number;
  ox: number;
  oy: number;
}

/** How far along its path the camera is, 0-1, at motion time tau. */
function progress(clock: RegionClock, cycles: number, eased: boolean, tau: number): number {
  if (clock.span <= 0) return 0;
  if (clock.mode === 'loop') return (1 - Math.cos((2 * Math.PI * cycles * tau) / clock.span)) / 2;
  const q = Math.min(1, tau / clock.span);
  return eased ? (1 - Math.cos(Math.PI * q)) / 2 : q;
}

function viewAt(motion: CameraPrimitive, width: number, height: number, amplitude: number, p: number): View {
  if (motion.primitive === 'zoom') return { zoom: Math.exp(motion.sign * amplitude * p), ox: 0, oy: 0 };
  const [ex, ey] = unitVector(motion.direction);
  const ox = ex * amplitude * p;
  const oy = ey * amplitude * p;
  // Just enough zoom that a view offset by (ox, oy) stays inside the photo.
  const need = Math.max(
    width / Math.max(1e-6, width - 2 * Math.abs(ox)),
    height / Math.max(1e-6, height - 2 * Math.abs(oy)),
  );
  return { zoom: Math.max(1 + motion.zoom * p, need), ox, oy };
}

/** Where content shown at output pixel (x, y) in view a is shown in view b. */
function moveBetween(a: View, b: View, cx: number, cy: number, x: number, y: number): [number, number] {
  const qx = cx + a.ox + (x - cx) / a.zoom;
  const qy = cy + a.oy + (y - cy) / a.zoom;
  return [cx + b.zoom * (qx - cx - b.ox), cy + b.zoom * (qy - cy - b.oy)];
}

export function planCamera(request: CameraRequest): PlannedRegion<CameraRegionPlan> {
  const { width, height, motion, clock, frameCount, sizes } = request;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const eased = motion.primitive === 'zoom' ? motion.eased : true;
  const pairs = strengthPairs(clock, frameCount).map(
    (t) => [motionTime(clock, t), motionTime(clock, t + 1)] as const,
  );
  const grid: [number, number][] = [];
  for (let j = 0; j < 24; j++)
    for (let i = 0; i < 24; i++) grid.push([((i + 0.5) * width) / 24, ((j + 0.5) * height) / 24]);

  const speed = (amplitude: number, cycles: number) => {
    if (pairs.length === 0) return 0;
    let total = 0;
    for (const [t0, t1] of pairs) {
      const a = viewAt(motion, width, height, amplitude, progress(clock, cycles, eased, t0));
      const b = viewAt(motion, width, height, amplitude, progress(clock, cycles, eased, t1));
      for (const [x, y] of grid) {
        const [mx, my] = moveBetween(a, b, cx, cy, x, y);
        total += Math.hypot(mx - x, my - y);
      }
    }
    return total / (pairs.length * grid.length);
  };
  const solve = (cycles: number) => {
    const target = request.strength * sizes.unit;
    if (target <= 0) return 0;
    let amplitude = motion.primitive === 'zoom' ? 0.1 : 0.05 * width;
    for (let i = 0; i < 30; i++) {
      const s = speed(amplitude, cycles);
      if (!(s > 0)) return 0;
      const next = (amplitude * target) / s;
      if (Math.abs(next - amplitude) < 1e-7 * amplitude) return next;
      amplitude = next;
    }
    return amplitude;
  };
  const limitFor = () => {
    if (motion.primitive === 'zoom') return MOST_ZOOM;
    const [ex, ey] = unitVector(motion.direction);
    return MOST_PAN * (Math.abs(ex) * width + Math.abs(ey) * height);
  };

  let cycles = 1;
  let amplitude = solve(cycles);
  const limit = limitFor();
  if (amplitude > limit) {
    if (clock.mode === 'loop') {
      // Quicker rather than further: several trips out and back.
      cycles = Math.min(Math.max(1, Math.floor(clock.span / 8)), Math.ceil(amplitude / limit));
      amplitude = solve(cycles);
    }
    if (motion.primitive === 'pan') amplitude = Math.min(amplitude, (0.9 * limit) / MOST_PAN / 2);
  }

  const poses = sharedFloat32(frameCount * POSE_STRIDE);
  let zoomsOut = false;
  for (let t = 0; t < frameCount; t++) {
    const view = viewAt(
      motion,
      width,
      height,
      amplitude,
      progress(clock, cycles, eased, motionTime(clock, t)),
    );
    const at = t * POSE_STRIDE;
    const s = 1 / view.zoom;
    // Output pixel -> photo: q = c + o + (x - c) / zoom.
    poses[at] = s;
    poses[at + 1] = 0;
    poses[at + 2] = cx + view.ox - cx * s;
    poses[at + 3] = 0;
    poses[at + 4] = s;
    poses[at + 5] = cy + view.oy - cy * s;
    poses[at + 6] = 1;
    poses[at + 7] =
      Math.abs(view.zoom - 1) > 1e-7 || Math.abs(view.ox) > 1e-5 || Math.abs(view.oy) > 1e-5 ? 1 : 0;
    if (view.zoom < 1) zoomsOut = true;
  }
  let backdrop: Uint8Array | null = null;
  if (zoomsOut) {
    backdrop = sharedUint8(request.photo.length);
    backdrop.set(request.photo);
    boxBlur(backdrop, width, height, Math.max(2, 0.012 * Math.max(width, height)));
  }
  return { plan: { kind: 'camera', poses, backdrop }, fieldStrength: speed(amplitude, cycles) / sizes.unit };
}

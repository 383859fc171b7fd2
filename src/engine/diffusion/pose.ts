// Pose keyframes -> OpenPose-style skeleton drawings, one per generated frame, the conditioning image a
// pose ControlNet is trained on (the paper, section 4.4, "Regional image animation with ControlNet").
// Colours, limb pairs and stroke widths follow the OpenPose body renderer that ControlNet's annotators use
// (18 COCO keypoints, 17 limbs, limbs at 60% over black, joints as filled circles).
import { POSE_COLORS, POSE_LIMBS, type Point, type Pose } from '../../shared/index.js';

type Joints = readonly (Point | null)[];

/** The joints at `time` (seconds), linearly between the keyframes around it; held before the first and after the last. */
export function jointsAt(pose: Pose, time: number): Joints {
  const keys = [...pose.keyframes].sort((a, b) => a.time - b.time);
  const first = keys[0]!;
  if (time <= first.time) return first.joints;
  for (let k = 1; k < keys.length; k++) {
    const a = keys[k - 1]!;
    const b = keys[k]!;
    if (time <= b.time) {
      const u = b.time === a.time ? 1 : (time - a.time) / (b.time - a.time);
      return a.joints.map((p, j) => {
        const q = b.joints[j] ?? null;
        // A joint shown on one side only appears at the nearer keyframe.
        if (!p || !q) return u < 0.5 ? p : q;
        return { x: p.x + u * (q.x - p.x), y: p.y + u * (q.y - p.y) };
      });
    }
  }
  return keys[keys.length - 1]!.joints;
}

/** Draws skeletons (photo pixel coordinates) into a [3, H, W] image in 0-1. */
export function drawSkeletons(
  skeletons: readonly Joints[],
  photoWidth: number,
  photoHeight: number,
  width: number,
  height: number,
): Float32Array {
  const rgb = new Float32Array(3 * width * height);
  const sx = width / photoWidth;
  const sy = height / photoHeight;
  // OpenPose draws with a 4-pixel stick at 512; scale with the drawing.
  const stick = Math.max(1, (4 * Math.max(width, height)) / 512);
  const plane = width * height;
  const paint = (x: number, y: number, colour: readonly number[], opacity: number) => {
    const i = y * width + x;
    for (let c = 0; c < 3; c++)
      rgb[c * plane + i] = rgb[c * plane + i]! * (1 - opacity) + (colour[c]! / 255) * opacity;
  };
  for (const joints of skeletons) {
    const at = (j: number) => {
      const p = joints[j];
      return p ? { x: p.x * sx, y: p.y * sy } : null;
    };
    POSE_LIMBS.forEach(([a, b], limb) => {
      const p = at(a);
      const q = at(b);
      if (p && q) drawSegment(p, q, stick, width, height, (x, y) => paint(x, y, POSE_COLORS[limb]!, 0.6));
    });
    joints.forEach((_, j) => {
      const p = at(j);
      if (p) drawSegment(p, p, stick, width, height, (x, y) => paint(x, y, POSE_COLORS[j]!, 1));
    });
  }
  return rgb;
}

/** Calls `plot` once for each pixel within `radius` of the segment pq (a capsule). */
function drawSegment(
  p: { x: number; y: number },
  q: { x: number; y: number },
  radius: number,
  width: number,
  height: number,
  plot: (x: number, y: number) => void,
): void {
  const x0 = Math.max(0, Math.floor(Math.min(p.x, q.x) - radius));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(p.x, q.x) + radius));
  const y0 = Math.max(0, Math.floor(Math.min(p.y, q.y) - radius));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(p.y, q.y) + radius));
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const length2 = dx * dx + dy * dy;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const cx = x + 0.5 - p.x;
      const cy = y + 0.5 - p.y;
      const u = length2 === 0 ? 0 : Math.max(0, Math.min(1, (cx * dx + cy * dy) / length2));
      const ex = cx - u * dx;
      const ey = cy - u * dy;
      if (ex * ex + ey * ey <= radius * radius) plot(x, y);
    }
  }
}

/**
 * One drawing per generated frame [F, 3, H, W], from every posed region's skeleton at the frame's time on
 * the timeline; null when no region has a pose.
 */
export function poseConditioning(
  poses: readonly (Pose | null)[],
  frameTimes: readonly number[],
  photo: { width: number; height: number },
  size: { width: number; height: number },
): Float32Array | null {
  const posed = poses.filter((p): p is Pose => p !== null);
  if (posed.length === 0) return null;
  const frameSize = 3 * size.width * size.height;
  const out = new Float32Array(frameTimes.length * frameSize);
  frameTimes.forEach((time, f) => {
    const drawing = drawSkeletons(
      posed.map((pose) => jointsAt(pose, time)),
      photo.width,
      photo.height,
      size.width,
      size.height,
    );
    out.set(drawing, f * frameSize);
  });
  return out;
}

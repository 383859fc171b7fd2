// The bones a person's skin is bound to (issue 12, point 4): OpenPose's 18 joints grouped into a torso,
// a head and the segments of the arms and legs. A bone's transform at a frame maps its rest joints onto
// its posed ones (a rotation, a stretch along the bone and a shift); a point of the person moves with the
// bones near it, weighted by nearness (linear-blend skinning), so limbs bend smoothly at the joints.
import type { Point } from '../../shared/index.js';

/** OpenPose joint indices (POSE_JOINTS in src/shared/model.ts). */
export const J = {
  nose: 0,
  neck: 1,
  rightShoulder: 2,
  rightElbow: 3,
  rightWrist: 4,
  leftShoulder: 5,
  leftElbow: 6,
  leftWrist: 7,
  rightHip: 8,
  rightKnee: 9,
  rightAnkle: 10,
  leftHip: 11,
  leftKnee: 12,
  leftAnkle: 13,
} as const;

export type Joints = readonly (Point | null)[];

/**
 * A segment bone from joint `from` to joint `to`, reaching `extend` of its length past `to` (a hand, a
 * foot). Its skin starts `start` of its length from `from`: an upper arm's own skin starts below the
 * top of the shoulder, which stays with the torso when the arm lifts.
 */
interface SegmentBone {
  kind: 'segment';
  from: number;
  to: number;
  extend: number;
  start: number;
}

/** The torso: the shoulders' and hips' quadrilateral (or the shoulders and below when no hips show). */
interface TorsoBone {
  kind: 'torso';
}

export type Bone = SegmentBone | TorsoBone;

/** [a b c d e f]: x' = a x + b y + c, y' = d x + e y + f. */
export type Affine = [number, number, number, number, number, number];

export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

/** from, to, extend, start (SegmentBone). */
const LIMBS: readonly (readonly [number, number, number, number])[] = [
  [J.rightShoulder, J.rightElbow, 0, 0.25],
  [J.rightElbow, J.rightWrist, 0.45, 0],
  [J.leftShoulder, J.leftElbow, 0, 0.25],
  [J.leftElbow, J.leftWrist, 0.45, 0],
  [J.rightHip, J.rightKnee, 0, 0.25],
  [J.rightKnee, J.rightAnkle, 0.25, 0],
  [J.leftHip, J.leftKnee, 0, 0.25],
  [J.leftKnee, J.leftAnkle, 0.25, 0],
];

/** The bones a skeleton's shown joints make: a limb without its far joint reaches on past the near one. */
export function bonesOf(joints: Joints): Bone[] {
  const bones: Bone[] = [];
  if (joints[J.rightShoulder] && joints[J.leftShoulder]) bones.push({ kind: 'torso' });
  if (joints[J.neck] && joints[J.nose])
    bones.push({ kind: 'segment', from: J.neck, to: J.nose, extend: 0.9, start: 0.25 });
  for (const [from, to, extend, start] of LIMBS) {
    if (!joints[from] || !joints[to]) continue;
    const far = LIMBS.find(([f]) => f === to);
    const ends = far === undefined || !joints[far[1]];
    bones.push({ kind: 'segment', from, to, extend: ends ? Math.max(extend, 0.5) : extend, start });
  }
  return bones;
}

/** The shoulders' width: the skeleton's own length scale. */
export function shoulderWidth(joints: Joints): number {
  const r = joints[J.rightShoulder];
  const l = joints[J.leftShoulder];
  if (r && l) return Math.hypot(l.x - r.x, l.y - r.y);
  const n = joints[J.neck];
  const h = joints[J.nose];
  return n && h ? 1.2 * Math.hypot(n.x - h.x, n.y - h.y) : 100;
}

/** The torso's outline, clockwise: shoulders, then hips (or the shoulders moved down 1.5 widths). */
export function torsoPolygon(joints: Joints): Point[] {
  const r = joints[J.rightShoulder]!;
  const l = joints[J.leftShoulder]!;
  const rh = joints[J.rightHip];
  const lh = joints[J.leftHip];
  if (rh && lh) return [r, l, lh, rh];
  const w = Math.hypot(l.x - r.x, l.y - r.y);
  // Down is perpendicular to the shoulder line, towards the image's bottom.
  let nx = -(l.y - r.y) / w;
  let ny = (l.x - r.x) / w;
  if (ny < 0) [nx, ny] = [-nx, -ny];
  return [
    r,
    l,
    { x: l.x + 1.5 * w * nx, y: l.y + 1.5 * w * ny },
    { x: r.x + 1.5 * w * nx, y: r.y + 1.5 * w * ny },
  ];
}

function segmentDistance(px: number, py: number, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - a.x) * dx + (py - a.y) * dy) / length2));
  return Math.hypot(px - a.x - t * dx, py - a.y - t * dy);
}

function polygonDistance(px: number, py: number, polygon: readonly Point[]): number {
  let inside = false;
  let nearest = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > py !== b.y > py && px < ((b.x - a.x) * (py - a.y)) / (b.y - a.y) + a.x) inside = !inside;
    nearest = Math.min(nearest, segmentDistance(px, py, a, b));
  }
  return inside ? 0 : nearest;
}

/** Where a segment bone's skin lies: from `start` of its length to `extend` past its `to` joint. */
function skinSegment(bone: SegmentBone, joints: Joints): [Point, Point] {
  const a = joints[bone.from]!;
  const b = joints[bone.to]!;
  return [
    { x: a.x + bone.start * (b.x - a.x), y: a.y + bone.start * (b.y - a.y) },
    { x: b.x + bone.extend * (b.x - a.x), y: b.y + bone.extend * (b.y - a.y) },
  ];
}

/**
 * Each point's weight on each bone (points.length / 2 rows of bones.length), summing to 1. A bone's
 * weight falls off with how much farther it is than the nearest bone, exp(-((d - d_nearest) / softness)^2):
 * a point belongs to the bone it lies on, blends only where two bones meet (within about `softness`
 * pixels of each other), and a far bone has no pull at all, however long its lever (a raised arm does not
 * drag the hair).
 */
export function skinWeights(
  points: Float32Array,
  bones: readonly Bone[],
  rest: Joints,
  softness: number,
): Float32Array {
  const count = points.length / 2;
  const n = bones.length;
  const weights = new Float32Array(count * n);
  const torso = bones.some((b) => b.kind === 'torso') ? torsoPolygon(rest) : null;
  // A limb in front of the torso (a hand on the belly) is the limb's: the torso counts as a little
  // farther than its outline, so the pixels along a limb's bone go with the limb.
  const torsoBias = 0.2 * shoulderWidth(rest);
  const distances = new Float64Array(n);
  for (let i = 0; i < count; i++) {
    const x = points[i * 2]!;
    const y = points[i * 2 + 1]!;
    let nearest = Infinity;
    for (let k = 0; k < n; k++) {
      const bone = bones[k]!;
      distances[k] =
        bone.kind === 'torso'
          ? polygonDistance(x, y, torso!) + torsoBias
          : segmentDistance(x, y, ...skinSegment(bone, rest));
      nearest = Math.min(nearest, distances[k]!);
    }
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const w = Math.exp(-(((distances[k]! - nearest) / softness) ** 2));
      weights[i * n + k] = w < 1e-4 ? 0 : w;
      sum += weights[i * n + k]!;
    }
    for (let k = 0; k < n; k++) weights[i * n + k] = weights[i * n + k]! / sum;
  }
  return weights;
}

/**
 * The bone's transform from the rest skeleton to the posed one. A segment: rotated as its joints turned,
 * stretched along itself as they drew apart (within half to twice), pinned at its `from` joint. The
 * torso: turned with the shoulder line, carried with the neck.
 */
export function boneTransform(bone: Bone, rest: Joints, posed: Joints): Affine {
  const [fromJoint, toJoint, anchorJoint] =
    bone.kind === 'torso' ? [J.rightShoulder, J.leftShoulder, J.neck] : [bone.from, bone.to, bone.from];
  const a = rest[fromJoint];
  const b = rest[toJoint];
  const a2 = posed[fromJoint] ?? a;
  const b2 = posed[toJoint] ?? b;
  const anchor = rest[anchorJoint] ?? (a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : null);
  const anchor2 = posed[anchorJoint] ?? (a2 && b2 ? { x: (a2.x + b2.x) / 2, y: (a2.y + b2.y) / 2 } : anchor);
  if (!a || !b || !a2 || !b2 || !anchor || !anchor2) return IDENTITY;
  const rx = b.x - a.x;
  const ry = b.y - a.y;
  const restLength = Math.hypot(rx, ry);
  const posedLength = Math.hypot(b2.x - a2.x, b2.y - a2.y);
  if (restLength < 1e-6 || posedLength < 1e-6) return IDENTITY;
  const ux = rx / restLength;
  const uy = ry / restLength;
  const stretch = bone.kind === 'torso' ? 1 : Math.min(2, Math.max(0.5, posedLength / restLength));
  const turn = Math.atan2(b2.y - a2.y, b2.x - a2.x) - Math.atan2(ry, rx);
  const cos = Math.cos(turn);
  const sin = Math.sin(turn);
  // S = I + (stretch - 1) u u^T, then R.
  const s00 = 1 + (stretch - 1) * ux * ux;
  const s01 = (stretch - 1) * ux * uy;
  const s11 = 1 + (stretch - 1) * uy * uy;
  const m00 = cos * s00 - sin * s01;
  const m01 = cos * s01 - sin * s11;
  const m10 = sin * s00 + cos * s01;
  const m11 = sin * s01 + cos * s11;
  return [
    m00,
    m01,
    anchor2.x - (m00 * anchor.x + m01 * anchor.y),
    m10,
    m11,
    anchor2.y - (m10 * anchor.x + m11 * anchor.y),
  ];
}

export function isIdentity(t: Affine, tolerance = 1e-6): boolean {
  return (
    Math.abs(t[0] - 1) < tolerance &&
    Math.abs(t[1]) < tolerance &&
    Math.abs(t[3]) < tolerance &&
    Math.abs(t[4] - 1) < tolerance &&
    Math.abs(t[2]) < tolerance * 100 &&
    Math.abs(t[5]) < tolerance * 100
  );
}

/** Rotates a point about a centre by `angle` radians (image coordinates: positive turns clockwise on screen). */
export function rotated(p: Point, centre: Point, angle: number): Point {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const dx = p.x - centre.x;
  const dy = p.y - centre.y;
  return { x: centre.x + c * dx - s * dy, y: centre.y + s * dx + c * dy };
}

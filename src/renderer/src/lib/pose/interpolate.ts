// Pose keyframes on the timeline: the pose at any time, and setting one joint at a time.
// Between two keyframes each joint moves in a straight line at even speed (linear interpolation, the
// default of keyframed motion in animation tools); before the first and after the last the pose holds.
import type { Point, Pose, PoseKeyframe } from '@shared/index.js';

/** Keyframes closer than this (seconds) are the same keyframe: half a frame at 60 fps. */
export const KEYFRAME_EPSILON = 1 / 120;

export type Joints = ReadonlyArray<Point | null>;

export function sortedKeyframes(pose: Pose): PoseKeyframe[] {
  return [...pose.keyframes].sort((a, b) => a.time - b.time);
}

/**
 * The joints at a time. A joint missing (null) at one side of an interval holds the other side's place,
 * so a joint that appears in a later keyframe does not fly in from the corner.
 */
export function poseAt(pose: Pose, time: number): Array<Point | null> {
  const keys = sortedKeyframes(pose);
  const first = keys[0];
  if (!first) return [];
  if (time <= first.time) return [...first.joints];
  for (let i = 0; i < keys.length - 1; i++) {
    const a = keys[i]!;
    const b = keys[i + 1]!;
    if (time <= b.time) {
      const t = b.time === a.time ? 1 : (time - a.time) / (b.time - a.time);
      return a.joints.map((ja, j) => lerpJoint(ja, b.joints[j] ?? null, t));
    }
  }
  return [...keys[keys.length - 1]!.joints];
}

function lerpJoint(a: Point | null, b: Point | null, t: number): Point | null {
  if (a && b) return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
  return a ?? b;
}

export function keyframeIndexAt(pose: Pose, time: number): number {
  return pose.keyframes.findIndex((k) => Math.abs(k.time - time) < KEYFRAME_EPSILON);
}

/**
 * Moves one joint at a time: edits the keyframe there, or adds one holding the interpolated pose with the
 * joint moved (the "auto-key" of animation tools), so other keyframes never change.
 */
export function setJoint(pose: Pose, time: number, joint: number, point: Point | null): Pose {
  const at = keyframeIndexAt(pose, time);
  if (at >= 0) {
    return {
      keyframes: pose.keyframes.map((k, i) =>
        i === at ? { ...k, joints: k.joints.map((p, j) => (j === joint ? point : p)) } : k,
      ),
    };
  }
  const joints = poseAt(pose, time).map((p, j) => (j === joint ? point : p));
  return { keyframes: sortedKeyframes({ keyframes: [...pose.keyframes, { time, joints }] }) };
}

/** Adds a keyframe holding the pose as it is at that time (a no-op where one exists). */
export function addKeyframe(pose: Pose, time: number): Pose {
  if (keyframeIndexAt(pose, time) >= 0) return pose;
  return {
    keyframes: sortedKeyframes({ keyframes: [...pose.keyframes, { time, joints: poseAt(pose, time) }] }),
  };
}

/** Removes the keyframe at a time; the last keyframe cannot go (a pose has at least one). */
export function removeKeyframe(pose: Pose, time: number): Pose {
  const at = keyframeIndexAt(pose, time);
  if (at < 0 || pose.keyframes.length <= 1) return pose;
  return { keyframes: pose.keyframes.filter((_, i) => i !== at) };
}

/** Moves every joint of every keyframe (dragging the whole skeleton). */
export function translatePose(pose: Pose, dx: number, dy: number): Pose {
  return {
    keyframes: pose.keyframes.map((k) => ({
      ...k,
      joints: k.joints.map((p) => (p ? { x: p.x + dx, y: p.y + dy } : null)),
    })),
  };
}

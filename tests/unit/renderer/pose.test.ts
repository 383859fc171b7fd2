import { describe, expect, it } from 'vitest';
import { POSE_COLORS, POSE_JOINTS, PoseSchema, type Point, type Pose } from '../../../src/shared/index.js';
import {
  addKeyframe,
  poseAt,
  removeKeyframe,
  setJoint,
  translatePose,
} from '../../../src/renderer/src/lib/pose/interpolate.js';
import { JOINT_COUNT, LIMBS, standingPose } from '../../../src/renderer/src/lib/pose/skeleton.js';

const joints = (x: number, y = 0): Array<Point | null> =>
  Array.from({ length: 18 }, (_, i) => ({ x: x + i, y }));

describe('the OpenPose skeleton', () => {
  it('has the 18 COCO joints, 17 limbs joining them, and a colour per joint', () => {
    expect(JOINT_COUNT).toBe(POSE_JOINTS.length);
    expect(LIMBS).toHaveLength(17);
    expect(POSE_COLORS).toHaveLength(18);
    for (const [a, b] of LIMBS) expect(Math.max(a, b)).toBeLessThan(18);
    // Every joint is reachable from the neck: one figure, no stray joints.
    const seen = new Set([1]);
    for (let pass = 0; pass < 18; pass++) for (const [a, b] of LIMBS) if (seen.has(a)) seen.add(b);
    expect(seen.size).toBe(18);
  });

  it('fits a standing figure inside a box, upright, right side on the image left', () => {
    const box = { x: 100, y: 50, width: 200, height: 400 };
    const pose = standingPose(box);
    expect(PoseSchema.safeParse({ keyframes: [{ time: 0, joints: pose }] }).success).toBe(true);
    for (const p of pose) {
      expect(p.x).toBeGreaterThanOrEqual(100);
      expect(p.x).toBeLessThanOrEqual(300);
      expect(p.y).toBeGreaterThanOrEqual(50);
      expect(p.y).toBeLessThanOrEqual(450);
    }
    const [nose, , rShoulder, , , lShoulder] = pose;
    const lAnkle = pose[13]!;
    expect(nose!.y).toBeLessThan(lAnkle.y);
    expect(rShoulder!.x).toBeLessThan(lShoulder!.x);
  });
});

describe('pose keyframes', () => {
  const pose: Pose = {
    keyframes: [
      { time: 2, joints: joints(100) },
      { time: 0, joints: joints(0) },
    ],
  };

  it('interpolates each joint linearly between keyframes and holds outside them', () => {
    expect(poseAt(pose, 1)[0]).toEqual({ x: 50, y: 0 });
    expect(poseAt(pose, 0.5)[3]).toEqual({ x: 28, y: 0 });
    expect(poseAt(pose, -1)[0]).toEqual({ x: 0, y: 0 });
    expect(poseAt(pose, 5)[0]).toEqual({ x: 100, y: 0 });
  });

  it('holds a joint that is missing on one side instead of flying it in', () => {
    const withGap: Pose = {
      keyframes: [
        { time: 0, joints: joints(0).map((p, i) => (i === 4 ? null : p)) },
        { time: 1, joints: joints(10) },
      ],
    };
    expect(poseAt(withGap, 0.5)[4]).toEqual({ x: 14, y: 0 });
    expect(poseAt(withGap, 0.5)[5]).toEqual({ x: 10, y: 0 });
  });

  it('moving a joint between keyframes adds a keyframe there and changes no other', () => {
    const moved = setJoint(pose, 1, 7, { x: 500, y: 500 });
    expect(moved.keyframes.map((k) => k.time)).toEqual([0, 1, 2]);
    expect(moved.keyframes[1]!.joints[7]).toEqual({ x: 500, y: 500 });
    expect(moved.keyframes[1]!.joints[6]).toEqual({ x: 56, y: 0 });
    expect(moved.keyframes[0]).toEqual(pose.keyframes[1]);
    expect(moved.keyframes[2]).toEqual(pose.keyframes[0]);
  });

  it('moving a joint on a keyframe edits that keyframe', () => {
    const moved = setJoint(pose, 2, 0, { x: -1, y: -1 });
    expect(moved.keyframes).toHaveLength(2);
    expect(poseAt(moved, 2)[0]).toEqual({ x: -1, y: -1 });
  });

  it('adds, removes (never the last) and translates keyframes', () => {
    const added = addKeyframe(pose, 1);
    expect(added.keyframes.map((k) => k.time)).toEqual([0, 1, 2]);
    expect(addKeyframe(added, 1)).toBe(added);
    expect(removeKeyframe(added, 1).keyframes.map((k) => k.time)).toEqual([0, 2]);
    const single: Pose = { keyframes: [{ time: 0, joints: joints(0) }] };
    expect(removeKeyframe(single, 0)).toBe(single);
    expect(translatePose(single, 5, 7).keyframes[0]!.joints[2]).toEqual({ x: 7, y: 7 });
  });
});

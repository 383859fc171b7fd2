// OpenPose's 18-keypoint body model (COCO order, as POSE_JOINTS in the shared model): which joints are
// joined by limbs, the colours pose ControlNets are trained to read, and a standing figure to start from.
import { POSE_COLORS, POSE_LIMBS, type Point } from '@shared/index.js';

/** POSE_JOINTS.length: nose, neck, shoulders, elbows, wrists, hips, knees, ankles, eyes, ears. */
export const JOINT_COUNT = 18;

/** Limbs as joint index pairs, in OpenPose's drawing order (shared with the engine's pose drawing). */
export const LIMBS = POSE_LIMBS;

export function poseColor(index: number): string {
  const [r, g, b] = POSE_COLORS[index % POSE_COLORS.length] ?? [255, 255, 255];
  return `rgb(${r}, ${g}, ${b})`;
}

/** A person facing the camera, in a unit box (x right, y down); "right" joints are on the image's left. */
const STANDING: ReadonlyArray<readonly [number, number]> = [
  [0.5, 0.1], // nose
  [0.5, 0.2], // neck
  [0.36, 0.21], // right shoulder
  [0.31, 0.37], // right elbow
  [0.29, 0.52], // right wrist
  [0.64, 0.21], // left shoulder
  [0.69, 0.37], // left elbow
  [0.71, 0.52], // left wrist
  [0.42, 0.53], // right hip
  [0.41, 0.74], // right knee
  [0.41, 0.95], // right ankle
  [0.58, 0.53], // left hip
  [0.59, 0.74], // left knee
  [0.59, 0.95], // left ankle
  [0.47, 0.08], // right eye
  [0.53, 0.08], // left eye
  [0.44, 0.09], // right ear
  [0.56, 0.09], // left ear
];

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The standing figure fitted into a box (a region's bounds), keeping a person's proportions. */
export function standingPose(box: Rect): Point[] {
  // A standing person is about 2.6 times taller than wide; fit that into the box and centre it.
  const height = Math.min(box.height, box.width * 2.6);
  const width = height / 2.6;
  const left = box.x + (box.width - width) / 2;
  const top = box.y + (box.height - height) / 2;
  return STANDING.map(([u, v]) => ({ x: left + u * width, y: top + v * height }));
}

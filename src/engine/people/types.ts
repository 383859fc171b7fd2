// What the people detector finds on a photo (issue 12, point 1), as plain data that crosses a worker
// boundary: faces with their 478-point mesh (468 face points + 2 x 5 iris points, MediaPipe's order) and
// bodies with MoveNet's 17 COCO keypoints, and other objects' boxes. Coordinates are photo pixels.
import type { DetectedObject } from '../segment/types.js';

/** x, y, width, height in photo pixels. */
export type PixelRect = [number, number, number, number];

export interface FoundFace {
  box: PixelRect;
  /** The detector's confidence that this is a face, 0-1. */
  score: number;
  /** 478 points as x0, y0, x1, y1, ... in photo pixels (MediaPipe face mesh order, iris last). */
  mesh: number[];
}

/** MoveNet's keypoints, COCO order; left and right are the person's own. */
export const BODY_PARTS = [
  'nose',
  'leftEye',
  'rightEye',
  'leftEar',
  'rightEar',
  'leftShoulder',
  'rightShoulder',
  'leftElbow',
  'rightElbow',
  'leftWrist',
  'rightWrist',
  'leftHip',
  'rightHip',
  'leftKnee',
  'rightKnee',
  'leftAnkle',
  'rightAnkle',
] as const;
export type BodyPart = (typeof BODY_PARTS)[number];

export interface BodyKeypoint {
  part: BodyPart;
  x: number;
  y: number;
  score: number;
}

export interface FoundBody {
  box: PixelRect;
  score: number;
  /** Only the keypoints the model is reasonably sure of (score >= KEYPOINT_SCORE). */
  keypoints: BodyKeypoint[];
}

export interface FoundPeople {
  width: number;
  height: number;
  faces: FoundFace[];
  bodies: FoundBody[];
  /**
   * Other things found on the same pass (CenterNet's COCO classes: a kite, a cup, a boat), for the
   * segmenter: a click inside one's box can take the object filling it (issue 10, point 5).
   */
  objects: DetectedObject[];
  /** How long the detection took in the worker, for the benchmark. */
  millis: number;
}

/** Keypoints under this score are dropped: MoveNet guesses occluded joints with low scores. */
export const KEYPOINT_SCORE = 0.3;

export function keypoint(body: FoundBody, part: BodyPart): BodyKeypoint | undefined {
  return body.keypoints.find((k) => k.part === part);
}

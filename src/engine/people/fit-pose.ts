// "Fit to person" (issue 12, point 3): OpenPose's 18 joints from MoveNet's 17 COCO keypoints. The two
// share their joints but for the neck, which OpenPose has and COCO does not: it goes between the
// shoulders. Joints MoveNet is unsure of stay null (not drawn, not steering the ControlNet).
import { POSE_JOINTS, type Point } from '../../shared/index.js';
import { keypoint, type BodyPart, type FoundBody } from './types.js';

/** For each OpenPose joint, the COCO keypoint it is (the neck is computed). */
const FROM_COCO: Record<(typeof POSE_JOINTS)[number], BodyPart | 'neck'> = {
  nose: 'nose',
  neck: 'neck',
  right_shoulder: 'rightShoulder',
  right_elbow: 'rightElbow',
  right_wrist: 'rightWrist',
  left_shoulder: 'leftShoulder',
  left_elbow: 'leftElbow',
  left_wrist: 'leftWrist',
  right_hip: 'rightHip',
  right_knee: 'rightKnee',
  right_ankle: 'rightAnkle',
  left_hip: 'leftHip',
  left_knee: 'leftKnee',
  left_ankle: 'leftAnkle',
  right_eye: 'rightEye',
  left_eye: 'leftEye',
  right_ear: 'rightEar',
  left_ear: 'leftEar',
};

export function openPoseJoints(body: FoundBody): (Point | null)[] {
  return POSE_JOINTS.map((joint) => {
    const part = FROM_COCO[joint];
    if (part === 'neck') {
      const l = keypoint(body, 'leftShoulder');
      const r = keypoint(body, 'rightShoulder');
      return l && r ? { x: (l.x + r.x) / 2, y: (l.y + r.y) / 2 } : null;
    }
    const k = keypoint(body, part);
    return k ? { x: k.x, y: k.y } : null;
  });
}

/** The body most inside a region's mask (the share of its keypoints on the mask), or null. */
export function bodyInMask(
  bodies: readonly FoundBody[],
  mask: { width: number; height: number; data: Uint8Array },
): FoundBody | null {
  let best: FoundBody | null = null;
  let bestShare = 0;
  for (const body of bodies) {
    let inside = 0;
    for (const k of body.keypoints) {
      const x = Math.round(k.x);
      const y = Math.round(k.y);
      if (x >= 0 && y >= 0 && x < mask.width && y < mask.height && mask.data[y * mask.width + x]! > 0)
        inside++;
    }
    const share = inside / Math.max(1, body.keypoints.length);
    if (share > bestShare) {
      best = body;
      bestShare = share;
    }
  }
  return bestShare >= 0.3 ? best : null;
}

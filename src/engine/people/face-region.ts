// Which face a face motion moves: the detected face most inside the region's mask, scaled to the output.
import { StirError, type Mask } from '../../shared/index.js';
import type { FieldRegionPlan } from '../motion/plan.js';
import { planFace, type FaceRequest } from './plan-face.js';
import { faceMask } from './select.js';
import type { FoundFace, FoundPeople } from './types.js';

export function planFaceInRegion(
  request: Omit<FaceRequest, 'face'>,
  photo: { width: number; height: number },
  mask: Mask,
  found: FoundPeople | null,
): { plan: FieldRegionPlan; fieldStrength: number; motionArea: Mask } {
  const word = request.motion.part;
  if (!found) {
    throw new StirError('BAD_REQUEST', `"${word}" needs a face, and this engine does not look for faces.`);
  }
  let best: FoundFace | null = null;
  let bestShare = 0;
  for (const face of found.faces) {
    let inside = 0;
    for (let i = 0; i < 468; i++) {
      const x = Math.round((face.mesh[i * 2]! * mask.width) / photo.width);
      const y = Math.round((face.mesh[i * 2 + 1]! * mask.height) / photo.height);
      if (x >= 0 && y >= 0 && x < mask.width && y < mask.height && mask.data[y * mask.width + x]! > 0)
        inside++;
    }
    if (inside / 468 > bestShare) {
      best = face;
      bestShare = inside / 468;
    }
  }
  if (!best || bestShare < 0.5) {
    const turned = found.faces.find((face) => centreInside(face, mask, photo) && !meshHolds(face, photo));
    if (turned) {
      // A face seen from the side: its mesh folds over itself (the cameraman's: a third of its points
      // inside its own outline), so no feature of it can be moved. A refusal by design, said as such.
      throw new StirError(
        'BAD_REQUEST',
        `Stir cannot follow the features of this face: it is turned too far from the camera, so it cannot ${word}.`,
        {
          hint: 'Face motions work on faces that look towards the camera; the whole person can still breathe.',
          details: { refusal: 'face-turned-away' },
        },
      );
    }
    throw new StirError('BAD_REQUEST', `Stir found no face in the region that should ${word}.`, {
      hint: 'Click on the face (or the person) to make the region, or pick a motion that needs no face.',
      details: { faces: found.faces.length },
    });
  }
  const sx = request.width / photo.width;
  const sy = request.height / photo.height;
  const face: FoundFace = { ...best, mesh: best.mesh.map((v, i) => v * (i % 2 === 0 ? sx : sy)) };
  return planFace({ ...request, face });
}

/** Whether the centre of the face's box lies in the region. */
function centreInside(face: FoundFace, mask: Mask, photo: { width: number; height: number }): boolean {
  const x = Math.floor(((face.box[0] + face.box[2] / 2) * mask.width) / photo.width);
  const y = Math.floor(((face.box[1] + face.box[3] / 2) * mask.height) / photo.height);
  return x >= 0 && y >= 0 && x < mask.width && y < mask.height && mask.data[y * mask.width + x]! > 0;
}

/** Whether most of the face's mesh lies inside its own outline (it folds over itself on a face in profile). */
function meshHolds(face: FoundFace, photo: { width: number; height: number }): boolean {
  const outline = faceMask(face, photo.width, photo.height);
  let inside = 0;
  for (let i = 0; i < 468; i++) {
    const x = Math.round(face.mesh[i * 2]!);
    const y = Math.round(face.mesh[i * 2 + 1]!);
    if (x >= 0 && y >= 0 && x < photo.width && y < photo.height && outline.data[y * photo.width + x]! > 0)
      inside++;
  }
  return inside / 468 >= 0.5;
}

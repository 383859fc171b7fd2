// Whether a region is a face or a whole person (issue 12, point 7), from what the detector found: a face
// when most of a face's mesh lies inside the region and the region is not much more than that face; a
// person when most of a body's confident keypoints (the face's own left aside) lie inside it.
import type { Mask, PeoplePart } from '../../shared/index.js';
import { faceMask } from './select.js';
import type { FoundPeople } from './types.js';

/** A face region may take in the hair and ears around the face's outline, not the shoulders. */
const FACE_AREA_AT_MOST = 2.5;

function inside(mask: Mask, x: number, y: number, width: number, height: number): boolean {
  const mx = Math.floor((x * mask.width) / width);
  const my = Math.floor((y * mask.height) / height);
  return mx >= 0 && my >= 0 && mx < mask.width && my < mask.height && mask.data[my * mask.width + mx]! > 0;
}

function area(mask: Mask): number {
  let count = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) count++;
  return count;
}

export function regionPart(found: FoundPeople, mask: Mask): PeoplePart | null {
  const { width, height } = found;
  const regionArea = (area(mask) * width * height) / (mask.width * mask.height);
  for (const face of found.faces) {
    let hits = 0;
    for (let i = 0; i < 468; i++) {
      if (inside(mask, face.mesh[i * 2]!, face.mesh[i * 2 + 1]!, width, height)) hits++;
    }
    if (hits / 468 < 0.5) continue;
    const faceArea = area(faceMask(face, width, height));
    if (regionArea <= FACE_AREA_AT_MOST * faceArea) return 'face';
  }
  for (const body of found.bodies) {
    const points = body.keypoints.filter((k) => !/Eye|Ear|nose/.test(k.part));
    if (points.length === 0) continue;
    const hits = points.filter((k) => inside(mask, k.x, k.y, width, height)).length;
    if (hits / points.length >= 0.5) return 'person';
  }
  return null;
}

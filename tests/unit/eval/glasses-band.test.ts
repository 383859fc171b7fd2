// The glasses measure of `stir eval --people` (issue 12), checked on made frames of Grace Hopper's
// portrait first: the band around the eyes slid down 2 pixels (the rim dragged, as the old blink did)
// must fire; the eyes painted shut between the lids (a blink that leaves the rim alone) must stay quiet;
// a face without glasses has no band to measure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlassesBand } from '../../../src/engine/eval/people/glasses-band.js';
import { PEOPLE_TARGETS } from '../../../src/engine/eval/people/run.js';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createPeopleDetector } from '../../../src/engine/people/detector.js';
import { curveAt, LEFT_EYE, RIGHT_EYE, meshPoints } from '../../../src/engine/people/landmarks.js';
import type { FoundFace } from '../../../src/engine/people/types.js';
import { loadPhoto, PHOTOS_DIR } from '../../helpers/photos.js';

const detector = createPeopleDetector();
afterAll(() => detector.dispose());

let photo: RgbaImage;
let face: FoundFace;
beforeAll(async () => {
  photo = (await decodePhoto({ kind: 'path', path: `${PHOTOS_DIR}people/grace-hopper.jpg` })).image;
  face = (await detector.find(photo)).faces[0]!;
}, 120_000);

/** A copy of the photo with `change(x, y)` giving the source pixel of each pixel around both eyes. */
function aroundEyes(change: (x: number, y: number, eye: typeof RIGHT_EYE) => [number, number]): RgbaImage {
  const data = new Uint8Array(photo.data);
  for (const eye of [RIGHT_EYE, LEFT_EYE]) {
    const points = meshPoints(face, [...eye.upper, ...eye.lower, ...eye.browLower]);
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    for (let y = Math.floor(Math.min(...ys)) - 4; y < Math.ceil(Math.max(...ys)) + 2; y++) {
      for (let x = Math.floor(Math.min(...xs)) - 4; x < Math.ceil(Math.max(...xs)) + 4; x++) {
        const [sx, sy] = change(x, y, eye);
        data.set(
          photo.data.subarray((sy * photo.width + sx) * 4, (sy * photo.width + sx) * 4 + 4),
          (y * photo.width + x) * 4,
        );
      }
    }
  }
  return { width: photo.width, height: photo.height, data };
}

describe('glasses band', () => {
  it('fires on the rim slid down 2 pixels and stays quiet on eyes shut between the lids', () => {
    const band = GlassesBand.find(photo, face)!;
    expect(band).not.toBeNull();
    expect(band.still(photo)).toBe(1);
    const dragged = band.still(aroundEyes((x, y) => [x, y - 2]));
    const shut = band.still(
      aroundEyes((x, y, eye) => {
        const upper = curveAt(meshPoints(face, eye.upper), x + 0.5);
        const lower = curveAt(meshPoints(face, eye.lower), x + 0.5);
        // Inside the eye: the skin just under the lower lid, a lid that hides the eye without touching the rim.
        return y >= upper && y <= lower ? [x, Math.round(lower) + 3] : [x, y];
      }),
    );
    console.table({ glassesBand: { dragged, shut } });
    expect(dragged).toBeLessThan(PEOPLE_TARGETS.glassesStill.atLeast);
    expect(shut).toBeGreaterThanOrEqual(PEOPLE_TARGETS.glassesStill.atLeast);
  });

  it('finds no band on a face without glasses', async () => {
    const astronaut = (await loadPhoto('astronaut.png')).image;
    const bare = (await detector.find(astronaut)).faces[0]!;
    expect(GlassesBand.find(astronaut, bare)).toBeNull();
  }, 120_000);
});

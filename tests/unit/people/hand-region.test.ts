// The hand a limb word moves joins the person's region (people/hand-region.ts): on KPhotoAlbum's
// cold-water.jpg a man holds his arms out over the sea, and a selection that stops at his sleeves once
// left his hand floating in the sea while "raise an arm" swung the sleeve up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { regionShape } from '../../../src/engine/motion/mask.js';
import { createPeopleDetector } from '../../../src/engine/people/detector.js';
import { openPoseJoints } from '../../../src/engine/people/fit-pose.js';
import { withHand } from '../../../src/engine/people/hand-region.js';
import { J, type Joints } from '../../../src/engine/people/skeleton.js';
import type { Point } from '../../../src/shared/index.js';
import { PHOTOS_DIR } from '../../helpers/photos.js';

const detector = createPeopleDetector();
afterAll(() => detector.dispose());

let photo: RgbaImage;
let joints: Joints;
beforeAll(async () => {
  photo = (await decodePhoto({ kind: 'path', path: `${PHOTOS_DIR}people/cold-water.jpg` })).image;
  joints = openPoseJoints((await detector.find(photo)).bodies[0]!);
}, 120_000);

const segmentDistance = (x: number, y: number, a: Point, b: Point) => {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - a.x - t * dx, y - a.y - t * dy);
};

describe('the hand of a limb word', () => {
  it('joins the region past the wrist where the photo shows a hand, not the sea around it', () => {
    // His left arm (on the photo's right), held out over the sea.
    const shoulder = joints[J.leftShoulder]!;
    const elbow = joints[J.leftElbow]!;
    const wrist = joints[J.leftWrist]!;
    const forearm = Math.hypot(wrist.x - elbow.x, wrist.y - elbow.y);
    // A selection that stops at the sleeve: the arm from shoulder to wrist, as thick as a sleeve.
    const { width, height } = photo;
    const coverage = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const d = Math.min(segmentDistance(x, y, shoulder, elbow), segmentDistance(x, y, elbow, wrist));
        if (d <= 0.2 * forearm) coverage[y * width + x] = 1;
      }
    }
    const sleeve = regionShape(coverage, width, height);
    const armed = withHand(sleeve, photo.data, elbow, wrist);
    expect(armed.area).toBeGreaterThan(sleeve.area);
    // Past the wrist along the forearm: the hand is in; well beyond it, across from it: the sea is not.
    const along = (share: number, side = 0): Point => {
      const ux = (wrist.x - elbow.x) / forearm;
      const uy = (wrist.y - elbow.y) / forearm;
      return {
        x: Math.round(wrist.x + share * forearm * ux - side * forearm * uy),
        y: Math.round(wrist.y + share * forearm * uy + side * forearm * ux),
      };
    };
    const inside = (p: Point) => armed.inside[p.y * width + p.x] === 1;
    const handPoints = [0.2, 0.3].map((s) => along(s));
    expect(handPoints.filter(inside).length, 'the hand past the wrist').toBe(handPoints.length);
    const sea = [along(0.3, 0.4), along(0.3, -0.4), along(0.75)];
    expect(sea.filter(inside).length, 'the sea around the hand').toBe(0);
  });
});

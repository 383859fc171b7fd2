// Outlines drawn by hand on examples/photos/astronaut.png (512 x 512), from a 2x view with a 25-pixel
// grid: the person (hair, face, suit and arms; the helmet she holds is not her) and her face (skin from
// the hairline to the chin). QUALITY.md's selection measure: IoU against these. The person lives with
// the eval's outlines (person-outlines.ts), which measure a head word's background against it.
import type { Point } from '../../../src/engine/people/landmarks.js';

export { ASTRONAUT_PERSON } from '../../../src/engine/eval/people/person-outlines.js';

// prettier-ignore
export const ASTRONAUT_FACE: Point[] = [
  [182, 85], [200, 75], [225, 70], [250, 72], [270, 80], [275, 95], [272, 120], [262, 145], [245, 162],
  [222, 168], [200, 160], [185, 145], [175, 125], [172, 100],
];

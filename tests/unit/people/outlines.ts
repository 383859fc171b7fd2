// Outlines drawn by hand on examples/photos/astronaut.png (512 x 512), from a 2x view with a 25-pixel
// grid: the person (hair, face, suit and arms; the helmet she holds is not her) and her face (skin from
// the hairline to the chin). QUALITY.md's selection measure: IoU against these.
import type { Point } from '../../../src/engine/people/landmarks.js';

// prettier-ignore
export const ASTRONAUT_PERSON: Point[] = [
  [225, 16], [255, 20], [280, 33], [295, 52], [301, 80], [297, 105], [288, 125], [280, 140], [285, 155],
  [295, 170], [303, 195], [306, 225], [302, 250], [325, 262], [348, 280], [360, 310], [363, 345],
  [335, 355], [310, 372], [293, 400], [282, 440], [278, 511], [20, 511], [22, 440], [26, 380], [32, 330],
  [45, 290], [62, 255], [92, 225], [115, 200], [118, 180], [128, 160], [145, 150], [165, 145], [160, 120],
  [155, 90], [158, 60], [170, 35], [195, 20],
];

// prettier-ignore
export const ASTRONAUT_FACE: Point[] = [
  [182, 85], [200, 75], [225, 70], [250, 72], [270, 80], [275, 95], [272, 120], [262, 145], [245, 162],
  [222, 168], [200, 160], [185, 145], [175, 125], [172, 100],
];

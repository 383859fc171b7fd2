// People outlined by hand, in photo pixels, for the measures that need to know where a person ends
// independently of any segmenter (a head word's background: what lies outside the dilated person).
import type { Point } from '../../people/landmarks.js';

// examples/photos/astronaut.png (512 x 512), from a 2x view with a 25-pixel grid: hair, face, suit and
// arms; the helmet she holds is not her.
// prettier-ignore
export const ASTRONAUT_PERSON: Point[] = [
  [225, 16], [255, 20], [280, 33], [295, 52], [301, 80], [297, 105], [288, 125], [280, 140], [285, 155],
  [295, 170], [303, 195], [306, 225], [302, 250], [325, 262], [348, 280], [360, 310], [363, 345],
  [335, 355], [310, 372], [293, 400], [282, 440], [278, 511], [20, 511], [22, 440], [26, 380], [32, 330],
  [45, 290], [62, 255], [92, 225], [115, 200], [118, 180], [128, 160], [145, 150], [165, 145], [160, 120],
  [155, 90], [158, 60], [170, 35], [195, 20],
];

// examples/photos/people/grace-hopper.jpg (512 x 600), from a 2x view with a 25-pixel grid: cap, hair,
// ears, neck and uniform down to the photo's bottom; the flag and its cord behind her are not her.
// prettier-ignore
export const GRACE_HOPPER_PERSON: Point[] = [
  [260, 20], [300, 28], [335, 42], [355, 55], [370, 95], [373, 150], [372, 185], [376, 225], [365, 255],
  [357, 275], [345, 300], [332, 320], [400, 340], [470, 362], [505, 390], [511, 420], [511, 599], [12, 599],
  [20, 500], [35, 400], [60, 370], [110, 345], [170, 325], [195, 318], [180, 295], [165, 270], [155, 232],
  [152, 200], [155, 165], [150, 135], [155, 100], [177, 75], [205, 47], [230, 30],
];

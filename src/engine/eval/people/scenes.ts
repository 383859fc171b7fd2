// People scenes for `stir eval` (issue 12, point 5): on each photo of a person, the people words a person
// would try, each on its own region as a click gives it (the face for a face word, the whole person for a
// body word). Words the lexicon does not build yet are listed all the same: eval reports them as not built
// and measures them as soon as they are.
import type { Point } from '../../people/landmarks.js';
import { ASTRONAUT_PERSON, GRACE_HOPPER_PERSON } from './person-outlines.js';

export interface PeopleSceneWord {
  /** A name from PEOPLE_WORDS (people-words.ts). */
  name: string;
  /** px/frame at a 512-px long side; null: the word's default strength. */
  strength: number | null;
}

export interface PeopleScene {
  /** The photo's file name (examples/photos, examples/photos/people or shared/photos). */
  photo: string;
  /** The person outlined by hand (photo pixels), where the head words' background is measured outside. */
  person?: readonly Point[];
  words: readonly PeopleSceneWord[];
}

const EVERY_WORD: readonly PeopleSceneWord[] = [
  { name: 'smile', strength: null },
  { name: 'blink', strength: null },
  { name: 'nod', strength: null },
  { name: 'shake the head', strength: null },
  { name: 'look left', strength: null },
  { name: 'raise the eyebrows', strength: null },
  { name: 'breathe', strength: null },
  { name: 'wave', strength: null },
  { name: 'raise an arm', strength: null },
];

export const PEOPLE_SCENES: readonly PeopleScene[] = [
  { photo: 'astronaut.png', person: ASTRONAUT_PERSON, words: EVERY_WORD },
  {
    // Her glasses' upper rim sits just above her lids: a blink is refused at any strength (taking the lid
    // from above the rim drags the rim down; the skin under it lies in the frame's shadow and a lid made
    // from it reads as a dark band over an open eye). The half blink is listed to show it refused too.
    photo: 'grace-hopper.jpg',
    person: GRACE_HOPPER_PERSON,
    words: [...EVERY_WORD, { name: 'blink', strength: 2 }],
  },
  {
    // The camera hides half his face: the eyes and the mouth are there, the brows are not.
    photo: 'cameraman.jpg',
    words: [
      { name: 'smile', strength: null },
      { name: 'blink', strength: null },
      { name: 'breathe', strength: null },
      { name: 'wave', strength: null },
    ],
  },
  {
    // A surfer in profile on a wave, whole body, at sunset: MoveNet finds the body, the face detector no
    // face (the face is small and side-on), so the body words only.
    photo: 'surfer.jpg',
    words: [
      { name: 'breathe', strength: null },
      { name: 'wave', strength: null },
      { name: 'raise an arm', strength: null },
    ],
  },
  {
    // A man looking into the camera, head and shoulders, lit from the front (KPhotoAlbum's demo).
    photo: 'jesper.jpg',
    words: [
      { name: 'smile', strength: null },
      { name: 'blink', strength: null },
      { name: 'raise the eyebrows', strength: null },
      { name: 'breathe', strength: null },
    ],
  },
  {
    // A man standing in the sea with his arms held out, head to knees, people behind him.
    photo: 'cold-water.jpg',
    words: [
      { name: 'smile', strength: null },
      { name: 'blink', strength: null },
      { name: 'breathe', strength: null },
      { name: 'wave', strength: null },
      { name: 'raise an arm', strength: null },
    ],
  },
  {
    // Two people side by side in a dim bar, raising glasses: the face words take the first face found.
    photo: 'bar-couple.jpg',
    words: [
      { name: 'smile', strength: null },
      { name: 'blink', strength: null },
      { name: 'raise the eyebrows', strength: null },
      { name: 'breathe', strength: null },
    ],
  },
];

/** The strengths the smile's lift is swept over (px at a 512-px long side). */
export const SMILE_SWEEP = [2, 4, 6, 8] as const;

// Words that mean something else on a person (issue 12, point 4): "wave" is what grass and flags do, but
// a person who is asked to wave waves a hand. When a region holding "wave" is a detected person with an
// arm visible from the shoulder to the hand, it is planned as "wave the hand"; anywhere else (a flag, a
// field, a person whose hands do not show) the word keeps its own meaning.
import type { Mask } from '../../shared/index.js';
import { matchMotion } from '../motion/lexicon.js';
import type { MotionPrimitive } from '../motion/spec.js';
import { bodyInMask, openPoseJoints } from './fit-pose.js';
import { regionPart } from './region-part.js';
import { J } from './skeleton.js';
import type { FoundPeople } from './types.js';

/** Each such word and what it means on a person. */
const ON_A_PERSON: Readonly<Record<string, string>> = { wave: 'wave the hand' };

/** Whether a resolved word might mean something else on a person (so the people must be looked for). */
export function mayMeanOnPerson(word: string): boolean {
  return Object.hasOwn(ON_A_PERSON, word);
}

interface Resolved {
  word: string;
  motion: MotionPrimitive;
  direction: number | null;
}

/** The word as it is meant in this region: the person's version when the region is a person who can. */
export function meaningOnPerson(resolved: Resolved, mask: Mask, found: FoundPeople | null): Resolved {
  const personWord = ON_A_PERSON[resolved.word];
  if (!personWord || !found || regionPart(found, mask) !== 'person') return resolved;
  const body = bodyInMask(found.bodies, mask);
  const joints = body ? openPoseJoints(body) : [];
  const arm = (shoulder: number, elbow: number, wrist: number) =>
    Boolean(joints[shoulder] && joints[elbow] && joints[wrist]);
  const hasArm =
    arm(J.rightShoulder, J.rightElbow, J.rightWrist) || arm(J.leftShoulder, J.leftElbow, J.leftWrist);
  if (!hasArm) return resolved;
  const match = matchMotion(personWord);
  if (match.kind !== 'motion') return resolved;
  return { word: match.entry.word, motion: match.motion, direction: resolved.direction };
}

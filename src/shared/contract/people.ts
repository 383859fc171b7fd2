import { z } from 'zod';
import { method } from './define.js';
import { POSE_JOINTS, PointSchema } from '../model.js';

/** What a region is to the people detector: a face, a whole person, or neither. */
export const PeoplePartSchema = z.enum(['face', 'person']);
export type PeoplePart = z.infer<typeof PeoplePartSchema>;

export const RegionPeopleResultSchema = z.object({
  part: PeoplePartSchema.nullable(),
  /** The people words the current engine makes, to offer as quick picks (empty when part is null). */
  words: z.array(z.string()),
  /** The word such a region starts with: smile for a face, breathe for a person (null when not made). */
  suggested: z.string().nullable(),
});
export type RegionPeopleResult = z.infer<typeof RegionPeopleResultSchema>;

export const peopleMethods = {
  regionPeople: method(
    z.object({ docId: z.string(), regionId: z.string() }),
    RegionPeopleResultSchema,
    'Whether a region is a detected face or person, and the people words (smile, blink, breathe...) the current engine makes for it.',
  ),
  fitPose: method(
    z.object({ docId: z.string(), regionId: z.string() }),
    z.object({
      /** OpenPose's 18 joints in photo pixels (neck between the shoulders), null where not seen. */
      joints: z.array(PointSchema.nullable()).length(POSE_JOINTS.length),
    }),
    'Places a pose skeleton\'s joints on the person detected in a region ("Fit to person").',
  ),
};

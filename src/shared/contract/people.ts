import { z } from 'zod';
import { method } from './define.js';
import { POSE_JOINTS, PointSchema } from '../model.js';

export const peopleMethods = {
  fitPose: method(
    z.object({ docId: z.string(), regionId: z.string() }),
    z.object({
      /** OpenPose's 18 joints in photo pixels (neck between the shoulders), null where not seen. */
      joints: z.array(PointSchema.nullable()).length(POSE_JOINTS.length),
    }),
    'Places a pose skeleton\'s joints on the person detected in a region ("Fit to person").',
  ),
};

import { z } from 'zod';
import { method } from './define.js';
import { EngineIdSchema } from '../model.js';

export const DoctorCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  /** A missing required check makes `stir doctor` exit non-zero. */
  required: z.boolean(),
  detail: z.string(),
});
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;

export const DoctorReportSchema = z.object({
  ok: z.boolean(),
  checks: z.array(DoctorCheckSchema),
  ffmpeg: z
    .object({
      path: z.string(),
      version: z.string(),
      source: z.enum(['env', 'ffmpeg-static', 'ffmpeg-installer', 'path']),
    })
    .nullable(),
  ffprobe: z.object({ path: z.string(), version: z.string() }).nullable(),
  onnxruntime: z.object({ version: z.string(), providers: z.array(z.string()) }).nullable(),
  electron: z.object({ present: z.boolean(), version: z.string(), path: z.string().nullable() }),
  opencv: z.object({ loaded: z.boolean(), version: z.string().nullable() }),
  node: z.string(),
  platform: z.string(),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

export const MotionInfoSchema = z.object({
  /** The word as shown in suggestions. */
  word: z.string(),
  /** Other words and phrases that mean the same motion. */
  aliases: z.array(z.string()),
  /** The motion primitive it maps to (sway, flow, zoom...), or "diffusion" for words only a model does. */
  primitive: z.string(),
  description: z.string(),
  engine: EngineIdSchema,
  loops: z.boolean(),
  takesDirection: z.boolean(),
  defaultStrength: z.number(),
  /**
   * Whether it moves pixels beyond its region's mask in ways known only once rendered (a skinned arm that
   * waves or is raised, the pose puppet): the preview renders whole when such a region changes.
   */
  leavesMask: z.boolean(),
});
export type MotionInfo = z.infer<typeof MotionInfoSchema>;

export const MotionResolutionSchema = z.object({
  ok: z.boolean(),
  /** The lexicon word the prompt resolved to (after case, plurals, verb forms and typos). */
  word: z.string().nullable(),
  primitive: z.string().nullable(),
  /** Why it did not resolve, in words, with the closest known words. */
  message: z.string().nullable(),
  suggestions: z.array(z.string()),
});
export type MotionResolution = z.infer<typeof MotionResolutionSchema>;

export const EngineInfoSchema = z.object({
  id: EngineIdSchema,
  name: z.string(),
  available: z.boolean(),
  /** Why it is not available, or what it needs. */
  note: z.string(),
  capabilities: z.array(z.string()),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const systemMethods = {
  doctor: method(
    z.object({}).default({}),
    DoctorReportSchema,
    'Checks what this machine has: ffmpeg, onnxruntime and its providers, Electron, OpenCV.',
  ),
  listMotions: method(
    z.object({}).default({}),
    z.array(MotionInfoSchema),
    'The motion lexicon, for suggestions.',
  ),
  resolveMotion: method(
    z.object({ prompt: z.string(), engine: EngineIdSchema.default('motion') }),
    MotionResolutionSchema,
    'Resolves a typed motion word to the lexicon (case, plurals, verb forms, typos) or says why not.',
  ),
  listEngines: method(
    z.object({}).default({}),
    z.array(EngineInfoSchema),
    'The animation engines and what each can do here.',
  ),
};

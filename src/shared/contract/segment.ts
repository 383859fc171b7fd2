import { z } from 'zod';
import { method } from './define.js';
import { BoxSchema, ClickSchema, MaskSchema, PointSchema } from '../model.js';

export const SegmenterIdSchema = z.enum(['classic', 'sam', 'people']);
export type SegmenterId = z.infer<typeof SegmenterIdSchema>;

export const SegmentParamsSchema = z.object({
  docId: z.string(),
  /** Positive and negative clicks in photo pixels; at least one positive click or a box. */
  clicks: z.array(ClickSchema).max(64),
  box: BoxSchema.nullable().default(null),
  /** The mask being refined, when the clicks add to or remove from an existing region. */
  previous: MaskSchema.nullable().default(null),
  /**
   * Which of the segmenter's ranked answers to a new region's clicks to give: 0 its best, the next ones
   * what Tab steps through when the first is not what was meant (the classic segmenter ranks several).
   */
  hypothesis: z.number().int().min(0).max(15).default(0),
});
export type SegmentParams = z.input<typeof SegmentParamsSchema>;

/** What a clicked region most likely is; it picks the motion word a new region starts with (issue 13.6). */
export const RegionSubjectSchema = z.enum(['sky', 'water', 'foliage', 'person', 'other']);
export type RegionSubject = z.infer<typeof RegionSubjectSchema>;

export const SegmentResultSchema = z.object({
  mask: MaskSchema,
  /** The segmenter's own confidence, 0-1 (SAM's predicted IoU; a boundary-contrast score for classic). */
  score: z.number(),
  segmenter: SegmenterIdSchema,
  millis: z.number(),
  /** How many ranked answers these clicks have (1 when the segmenter gives one), and which this is. */
  hypotheses: z.number().int().min(1).default(1),
  hypothesis: z.number().int().min(0).default(0),
  /** The region's likely subject and the motion word it suggests (sky: drift, water: flow, foliage:
   * sway, person: breathe, other: sway). */
  suggestion: z
    .object({ subject: RegionSubjectSchema, prompt: z.string() })
    .default({ subject: 'other', prompt: 'sway' }),
});
export type SegmentResult = z.infer<typeof SegmentResultSchema>;

export const HoverOutlineParamsSchema = z.object({ docId: z.string(), point: PointSchema });
export type HoverOutlineParams = z.input<typeof HoverOutlineParamsSchema>;

export const HoverOutlineResultSchema = z.object({
  /** The object under the point at a reduced size (its aspect the photo's): an outline to draw, scaled up. */
  mask: MaskSchema,
  millis: z.number(),
});
export type HoverOutlineResult = z.infer<typeof HoverOutlineResultSchema>;

export const segmentMethods = {
  segment: method(
    SegmentParamsSchema,
    SegmentResultSchema,
    'Turns clicks (and an optional box) into a region mask: a click on a detected face gives the face, on a detected person the person; else SAM when a pack provides it, else the classic segmenter.',
  ),
  hoverOutline: method(
    HoverOutlineParamsSchema,
    HoverOutlineResultSchema,
    'What a click at this point would most likely pick, cheaply (superpixels of the reduced photo), for the outline shown under the pointer before a click.',
  ),
};

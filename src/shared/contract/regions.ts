import { z } from 'zod';
import { method } from './define.js';
import {
  AnimationSettingsPatchSchema,
  AnimationSettingsSchema,
  BoxSchema,
  ClickSchema,
  MaskSchema,
  PoseSchema,
  RegionMotionPatchSchema,
  RegionMotionSchema,
  RegionSchema,
} from '../model.js';

const docId = z.string();
const regionId = z.string();

export const RegionInputSchema = z.object({
  name: z.string().min(1).max(80).optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
  visible: z.boolean().default(true),
  clicks: z.array(ClickSchema).default([]),
  box: BoxSchema.nullable().default(null),
  mask: MaskSchema,
  motion: RegionMotionSchema,
  pose: PoseSchema.nullable().default(null),
});
export type RegionInput = z.input<typeof RegionInputSchema>;

export const RegionPatchSchema = z.object({
  name: z.string().min(1).max(80).optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
  visible: z.boolean().optional(),
  clicks: z.array(ClickSchema).optional(),
  box: BoxSchema.nullable().optional(),
  mask: MaskSchema.optional(),
  motion: RegionMotionPatchSchema.optional(),
  pose: PoseSchema.nullable().optional(),
});
export type RegionPatch = z.input<typeof RegionPatchSchema>;

export const regionMethods = {
  createRegion: method(
    z.object({
      docId,
      region: RegionInputSchema,
      /** Insert at this index; appended when absent. */ index: z.int().min(0).optional(),
    }),
    RegionSchema,
    'Adds a region (mask + motion) to a document; later regions are drawn over earlier ones.',
  ),
  updateRegion: method(
    z.object({ docId, regionId, patch: RegionPatchSchema }),
    RegionSchema,
    'Changes a region: its mask, clicks, motion, name, colour, visibility or pose.',
  ),
  deleteRegion: method(
    z.object({ docId, regionId }),
    z.object({ deleted: z.boolean() }),
    'Removes a region.',
  ),
  listRegions: method(
    z.object({ docId }),
    z.array(RegionSchema),
    'The regions of a document, bottom to top.',
  ),
  reorderRegions: method(
    z.object({ docId, order: z.array(regionId) }),
    z.array(RegionSchema),
    'Sets the stacking order of the regions (bottom to top); overlaps are resolved by this order.',
  ),
  updateSettings: method(
    z.object({ docId, patch: AnimationSettingsPatchSchema }),
    AnimationSettingsSchema,
    'Changes the animation settings: duration, fps, loop mode, engine.',
  ),
};

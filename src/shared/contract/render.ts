import { z } from 'zod';
import { method } from './define.js';
import { JobStartedSchema } from './jobs.js';
import { EngineIdSchema, BytesSchema } from '../model.js';

export const StartRenderParamsSchema = z.object({
  docId: z.string(),
  /** Long side of the preview frames in pixels; the photo's own size when larger than the photo. */
  previewLongSide: z.int().min(64).max(8192).default(512),
  /**
   * Animate only these regions (over the photo) instead of every visible one: the editor re-renders just
   * what a change affects and composes it with the frames it already has. Null renders every visible region.
   */
  regionIds: z.array(z.string()).max(64).nullable().default(null),
});
export type StartRenderParams = z.input<typeof StartRenderParamsSchema>;

/** One preview frame, streamed while the render goes on. */
export const RenderFrameSchema = z.object({
  jobId: z.string(),
  index: z.int().min(0),
  frameCount: z.int().positive(),
  fps: z.number().positive(),
  width: z.int().positive(),
  height: z.int().positive(),
  image: BytesSchema,
  mime: z.enum(['image/jpeg', 'image/png', 'image/webp']),
});
export type RenderFrame = z.infer<typeof RenderFrameSchema>;

/** A rectangle in the photo's own pixels. */
export const PhotoRectSchema = z.object({
  x: z.int().min(0),
  y: z.int().min(0),
  width: z.int().min(0),
  height: z.int().min(0),
});

/**
 * Regions that move at another strength than asked, with why and what to change, in words for the person
 * (a looping travel has a slowest speed, a swing held by a narrow region a widest): the clip is made
 * anyway, at the strength the engine could give.
 */
export const StrengthNotesSchema = z
  .array(z.object({ regionId: z.string(), note: z.string().max(400) }))
  .max(64)
  .default([]);

export const RenderResultSchema = z.object({
  frameCount: z.int().positive(),
  fps: z.number().positive(),
  width: z.int().positive(),
  height: z.int().positive(),
  engine: EngineIdSchema,
  millis: z.number().min(0),
  /**
   * Where each rendered region's motion changed pixels (its motion area's bounds, in photo pixels: for a
   * skinned body motion the mesh over every keyframe and the fill where the person was), for the editor's
   * partial re-renders; empty when the engine does not say (diffusion).
   */
  reach: z.array(z.object({ regionId: z.string(), rect: PhotoRectSchema })).max(64),
  strengthNotes: StrengthNotesSchema,
});
export type RenderResult = z.infer<typeof RenderResultSchema>;

export const renderMethods = {
  startRender: method(
    StartRenderParamsSchema,
    JobStartedSchema,
    'Renders the document at preview size; frames stream as renderFrame events, then jobDone.',
  ),
};

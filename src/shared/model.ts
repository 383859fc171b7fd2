// The project model: what a person makes in Stir (a photo, its regions, the animation settings), as
// runtime schemas (zod) and the types derived from them. Every transport validates against these.
import { z } from 'zod';

/** Limits a person can reach through the UI or the CLI; the engine refuses anything outside them. */
export const LIMITS = {
  secondsMin: 1,
  secondsMax: 10,
  fpsMin: 8,
  fpsMax: 60,
  /** Strength in pixels per frame at a 512-pixel long side (QUALITY.md). */
  strengthMin: 0,
  strengthMax: 32,
  /** Tempo of a periodic motion, cycles per second (null: the motion word's own). */
  tempoMin: 0.05,
  tempoMax: 12,
  /** Longest photo side Stir works at; larger photos open scaled down to it, with a notice. */
  photoLongSideMax: 8192,
  /** Pixels a photo may have before scaling: a larger one is refused (decoding it costs too much memory). */
  photoPixelsMax: 100_000_000,
  /** Bytes a photo file may have. */
  photoBytesMax: 256 * 1024 * 1024,
  regionsMax: 16,
} as const;

export const DEFAULT_STRENGTH = 4;

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');

/** Raw bytes (images, masks). Any Uint8Array, Node's Buffer included; they travel as bytes on every transport. */
export const BytesSchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');

/** A binary mask at the photo's size: one byte per pixel, 0 outside, 255 inside, values between are soft edges. */
export const MaskSchema = z
  .object({
    width: z.int().positive(),
    height: z.int().positive(),
    data: BytesSchema,
  })
  .refine((m) => m.data.length === m.width * m.height, {
    message: 'mask data length must equal width * height',
  });
export type Mask = z.infer<typeof MaskSchema>;

/** A point in photo pixels (origin top-left, y down). */
export const PointSchema = z.object({ x: finite(), y: finite() });
export type Point = z.infer<typeof PointSchema>;

/** A click on the photo: positive adds to the region, negative removes from it. */
export const ClickSchema = PointSchema.extend({ positive: z.boolean() });
export type Click = z.infer<typeof ClickSchema>;

export const BoxSchema = z.object({ x0: finite(), y0: finite(), x1: finite(), y1: finite() });
export type Box = z.infer<typeof BoxSchema>;

export const LoopModeSchema = z.enum(['loop', 'once', 'pingpong']);
export type LoopMode = z.infer<typeof LoopModeSchema>;

export const EngineIdSchema = z.enum(['motion', 'diffusion']);
export type EngineId = z.infer<typeof EngineIdSchema>;

/**
 * How many paths, anchors and freeze strokes one region may have. Bounded so that 16 regions at the
 * limits still fit in a project's project.json (4 MB, project/codec.ts): about 160 KB a region.
 */
export const GUIDE_LIMITS = {
  paths: 8,
  pathPoints: 128,
  anchors: 64,
  freezeStrokes: 256,
  /** Points of all a region's freeze strokes together. */
  freezePoints: 4096,
} as const;

/** A drawn motion path: a polyline in photo pixels, first point to last; an arrow is a path of two points. */
export const MotionPathSchema = z.array(PointSchema).min(2).max(GUIDE_LIMITS.pathPoints);
export type MotionPath = z.infer<typeof MotionPathSchema>;

/** A stroke of the freeze brush: a round brush of `radius` photo pixels along `points`; erase takes back. */
export const FreezeStrokeSchema = z.object({
  radius: z.number().min(0.5).max(2000),
  erase: z.boolean(),
  points: z.array(PointSchema).min(1).max(GUIDE_LIMITS.freezePoints),
});
export type FreezeStroke = z.infer<typeof FreezeStrokeSchema>;

/**
 * How one region moves.
 * - prompt: the motion word or short phrase ("sway", "flow", "flap the wings").
 * - strength: mean displacement in pixels per frame at a 512-pixel long side (the paper's optical-flow
 *   magnitude), the same meaning in both engines.
 * - direction: degrees counter-clockwise from pointing right (0 right, 90 up, 180 left, 270 down), or null
 *   for the motion's own direction.
 * - start/end: seconds on the timeline where the region moves; outside it the region holds still.
 * - tempo: cycles per second of a periodic motion (sway, wave, bob...), or null for the word's own; the
 *   engine rounds it so a whole number of cycles fills the clip. Strength never changes it.
 * - paths: drawn motion paths. A fluid region's flow follows them (each path's direction weighted by
 *   nearness); a travelling region moves along the first; other motions take the first's direction.
 * - anchors: points held still in a fluid region (its motion fades to nothing around each).
 * - freeze: strokes of the freeze brush; a fluid region holds still where they paint.
 */
const regionMotionShape = {
  prompt: z.string().trim().min(1, 'a motion word is needed').max(200),
  strength: z.number().min(LIMITS.strengthMin).max(LIMITS.strengthMax),
  direction: finite().nullable(),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  start: z.number().min(0),
  end: z.number().min(0).nullable(),
  tempo: z.number().min(LIMITS.tempoMin).max(LIMITS.tempoMax).nullable(),
  paths: z.array(MotionPathSchema).max(GUIDE_LIMITS.paths),
  anchors: z.array(PointSchema).max(GUIDE_LIMITS.anchors),
  freeze: z
    .array(FreezeStrokeSchema)
    .max(GUIDE_LIMITS.freezeStrokes)
    .refine(
      (strokes) => strokes.reduce((n, s) => n + s.points.length, 0) <= GUIDE_LIMITS.freezePoints,
      `the freeze strokes may have at most ${GUIDE_LIMITS.freezePoints} points in all`,
    ),
};
/** A change to a region's motion: only the fields given change (no defaults are filled in). */
export const RegionMotionPatchSchema = z.object(regionMotionShape).partial();
export const RegionMotionSchema = z.object({
  ...regionMotionShape,
  strength: regionMotionShape.strength.default(DEFAULT_STRENGTH),
  direction: regionMotionShape.direction.default(null),
  seed: regionMotionShape.seed.default(0),
  start: regionMotionShape.start.default(0),
  end: regionMotionShape.end.default(null),
  tempo: regionMotionShape.tempo.default(null),
  paths: regionMotionShape.paths.default([]),
  anchors: regionMotionShape.anchors.default([]),
  freeze: regionMotionShape.freeze.default([]),
});
export type RegionMotion = z.infer<typeof RegionMotionSchema>;
export type RegionMotionInput = z.input<typeof RegionMotionSchema>;

/** OpenPose's 18 keypoints (COCO order), the layout a pose ControlNet is trained on. */
export const POSE_JOINTS = [
  'nose',
  'neck',
  'right_shoulder',
  'right_elbow',
  'right_wrist',
  'left_shoulder',
  'left_elbow',
  'left_wrist',
  'right_hip',
  'right_knee',
  'right_ankle',
  'left_hip',
  'left_knee',
  'left_ankle',
  'right_eye',
  'left_eye',
  'right_ear',
  'left_ear',
] as const;

/** Limbs as joint index pairs, in OpenPose's drawing order (neck-shoulders, arms, legs, head). */
export const POSE_LIMBS: ReadonlyArray<readonly [number, number]> = [
  [1, 2],
  [1, 5],
  [2, 3],
  [3, 4],
  [5, 6],
  [6, 7],
  [1, 8],
  [8, 9],
  [9, 10],
  [1, 11],
  [11, 12],
  [12, 13],
  [1, 0],
  [0, 14],
  [14, 16],
  [0, 15],
  [15, 17],
];

/** OpenPose's 18 colours (RGB), one per joint and the limb drawn with the same index. */
export const POSE_COLORS: ReadonlyArray<readonly [number, number, number]> = [
  [255, 0, 0],
  [255, 85, 0],
  [255, 170, 0],
  [255, 255, 0],
  [170, 255, 0],
  [85, 255, 0],
  [0, 255, 0],
  [0, 255, 85],
  [0, 255, 170],
  [0, 255, 255],
  [0, 170, 255],
  [0, 85, 255],
  [0, 0, 255],
  [85, 0, 255],
  [170, 0, 255],
  [255, 0, 255],
  [255, 0, 170],
  [255, 0, 85],
];

export const PoseKeyframeSchema = z.object({
  /** Seconds from the start of the clip. */
  time: z.number().min(0),
  /** 18 joints in photo pixels, null where a joint is not shown. */
  joints: z.array(PointSchema.nullable()).length(POSE_JOINTS.length),
});
export type PoseKeyframe = z.infer<typeof PoseKeyframeSchema>;

export const PoseSchema = z.object({ keyframes: z.array(PoseKeyframeSchema).min(1) });
export type Pose = z.infer<typeof PoseSchema>;

export const RegionSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(80),
  /** CSS colour of the overlay, "#rrggbb". */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  visible: z.boolean(),
  clicks: z.array(ClickSchema),
  box: BoxSchema.nullable(),
  mask: MaskSchema,
  motion: RegionMotionSchema,
  pose: PoseSchema.nullable(),
});
export type Region = z.infer<typeof RegionSchema>;

const animationSettingsShape = {
  seconds: z.number().min(LIMITS.secondsMin).max(LIMITS.secondsMax),
  fps: z.int().min(LIMITS.fpsMin).max(LIMITS.fpsMax),
  loop: LoopModeSchema,
  engine: EngineIdSchema,
  /** The installed model pack the diffusion engine uses; null for the built-in engine. */
  packId: z.string().nullable(),
  /**
   * Diffusion engine: replace the generated frame 0 with the photo and remove the colour drift it shows
   * from every frame (true), or composite the model's frames as they are (false); null: the pack's default.
   */
  anchorFirstFrame: z.boolean().nullable(),
};
export const AnimationSettingsPatchSchema = z.object(animationSettingsShape).partial();
export const AnimationSettingsSchema = z.object({
  seconds: animationSettingsShape.seconds.default(3),
  fps: animationSettingsShape.fps.default(24),
  loop: animationSettingsShape.loop.default('loop'),
  engine: animationSettingsShape.engine.default('motion'),
  packId: animationSettingsShape.packId.default(null),
  anchorFirstFrame: animationSettingsShape.anchorFirstFrame.default(null),
});
export type AnimationSettings = z.infer<typeof AnimationSettingsSchema>;
export type AnimationSettingsInput = z.input<typeof AnimationSettingsSchema>;

export const DEFAULT_SETTINGS: AnimationSettings = AnimationSettingsSchema.parse({});

/** Colours given to new regions in turn: distinct, readable on a dark UI and over photos. */
export const REGION_COLORS = [
  '#4f9dff',
  '#ff7a45',
  '#36cfa0',
  '#f7c948',
  '#c07cff',
  '#ff5c8a',
  '#5ad1e6',
  '#a3d65c',
] as const;

export function frameCountOf(settings: Pick<AnimationSettings, 'seconds' | 'fps'>): number {
  return Math.max(1, Math.round(settings.seconds * settings.fps));
}

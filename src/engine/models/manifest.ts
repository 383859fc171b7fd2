// The model pack manifest, `stir-pack.json` (MODEL-PACKS.md). A pack is a folder: this manifest plus ONNX
// files (and their external data). The manifest says what the pack can do, which file is which component,
// how the video UNet is conditioned, and the scheduler's config; the engine never hard-codes a model.
// Every path is relative to the pack folder and must stay inside it.
import { z } from 'zod';
import { StirError } from '../../shared/index.js';

export const MANIFEST_NAME = 'stir-pack.json';
export const MANIFEST_FORMAT_VERSION = 1;

/** Why a manifest path is unsafe (it could name a file outside the pack), or null when it is fine. */
export function unsafePackPathReason(path: string): string | null {
  if (path.length === 0) return 'it is empty';
  if (path.includes('\0')) return 'it contains a NUL character';
  if (path.includes('\\')) return 'it contains a backslash (use "/")';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is an absolute path';
  const segments = path.split('/');
  if (segments.includes('..')) return 'it climbs out of the pack folder with ".."';
  if (segments.some((s) => s === '' || s === '.')) return 'it contains an empty or "." folder name';
  return null;
}

/** Issues raised for an unsafe path carry this marker, so loadPack can answer PATH_ESCAPE rather than PACK_INVALID. */
export const PATH_ESCAPE_ISSUE = 'path-escape';

/** A file inside the pack: relative, "/"-separated, no "..". */
export const PackPathSchema = z.string().superRefine((path, ctx) => {
  const reason = unsafePackPathReason(path);
  if (reason !== null) {
    ctx.addIssue({
      code: 'custom',
      message: `"${path}" is not a path inside the pack: ${reason}`,
      params: { kind: PATH_ESCAPE_ISSUE },
    });
  }
});

export const PackFileSchema = z.object({
  path: PackPathSchema,
  /** Bytes. */
  size: z.int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits'),
  /** Where the installer downloads it from, when the pack is published file by file. */
  url: z.url().optional(),
});
export type PackFile = z.infer<typeof PackFileSchema>;

export const CAPABILITIES = ['segmenter', 'diffusion', 'pose'] as const;
export const CapabilitySchema = z.enum(CAPABILITIES);
export type Capability = z.infer<typeof CapabilitySchema>;

/**
 * Segment Anything's official ONNX contract (MobileSAM and SlimSAM share it). EdgeSAM, EfficientSAM and
 * SAM 2 exports use other contracts: a pack naming one of them is recognised and refused in words.
 */
export const SEGMENTER_CONTRACTS = ['sam'] as const;
export const KNOWN_UNSUPPORTED_SEGMENTER_CONTRACTS = ['edgesam', 'efficientsam', 'sam2'] as const;

export const SegmenterComponentSchema = z.object({
  contract: z.string().superRefine((value, ctx) => {
    if ((SEGMENTER_CONTRACTS as readonly string[]).includes(value)) return;
    const known = (KNOWN_UNSUPPORTED_SEGMENTER_CONTRACTS as readonly string[]).includes(value);
    ctx.addIssue({
      code: 'custom',
      message: known
        ? `the segmenter follows the "${value}" ONNX contract, which Stir cannot run yet (supported: ${SEGMENTER_CONTRACTS.join(', ')})`
        : `unknown segmenter contract "${value}" (supported: ${SEGMENTER_CONTRACTS.join(', ')})`,
    });
  }),
  encoder: PackPathSchema,
  decoder: PackPathSchema,
  /** The encoder's square input side (SAM: 1024). */
  imageSize: z.int().positive().default(1024),
  /** Normalisation on the 0-255 scale (SAM's defaults). */
  pixelMean: z.tuple([z.number(), z.number(), z.number()]).default([123.675, 116.28, 103.53]),
  pixelStd: z.tuple([z.number(), z.number(), z.number()]).default([58.395, 57.12, 57.375]),
});
export type SegmenterComponent = z.infer<typeof SegmenterComponentSchema>;

export const TextEncoderComponentSchema = z.object({
  model: PackPathSchema,
  /** CLIP's byte-level BPE files, in the layout Hugging Face exports ship. */
  tokenizer: z.object({ vocab: PackPathSchema, merges: PackPathSchema }),
  maxLength: z.int().positive().default(77),
  hiddenSize: z.int().positive().default(768),
});
export type TextEncoderComponent = z.infer<typeof TextEncoderComponentSchema>;

export const VaeComponentSchema = z.object({
  encoder: PackPathSchema,
  decoder: PackPathSchema,
  /** SD 1.5: 0.18215. The encoder's latent is multiplied by it; the decoder's input is divided by it. */
  scalingFactor: z.number().positive().default(0.18215),
  latentChannels: z.literal(4).default(4),
  /** What the encoder gives: the mean only (4 channels), or mean and log-variance (8; the mean is used). */
  encoderOutput: z.enum(['mean', 'mean-logvar']).default('mean'),
});
export type VaeComponent = z.infer<typeof VaeComponentSchema>;

/**
 * The two known ways a 9-channel video UNet is conditioned (MODEL-PACKS.md, "Video UNet"):
 * - first-frame+region-mask (Follow-Your-Click): image latent on frame 0 only, the region mask in the mask
 *   channel on every frame;
 * - all-frames+frame-coefficients (PIA): image latent on every frame, a per-frame constant in the mask channel.
 */
export const CONDITIONING_LAYOUTS = ['first-frame+region-mask', 'all-frames+frame-coefficients'] as const;
export const ConditioningLayoutSchema = z.enum(CONDITIONING_LAYOUTS);
export type ConditioningLayout = z.infer<typeof ConditioningLayoutSchema>;

/** One text embedding per video ([B, 77, 768]) or one per frame ([B*F, 77, 768]). */
export const TEXT_LAYOUTS = ['per-video', 'per-frame'] as const;
export const TextLayoutSchema = z.enum(TEXT_LAYOUTS);
export type TextLayout = z.infer<typeof TextLayoutSchema>;

const coefficients = z.array(z.number().min(0).max(1)).min(1);

/**
 * PIA's motion presets: the mask channel's value per frame by distance from the conditioning frame (a list
 * shorter than the clip repeats its last value). The defaults are PIA's RANGE_LIST (diffusers'
 * pipeline_pia.py): small, moderate and large motion, and their looping variants.
 */
export const FrameCoefficientsSchema = z.object({
  small: coefficients.default([1.0, 0.9, 0.85, 0.85, 0.85, 0.8]),
  moderate: coefficients.default([1.0, 0.8, 0.8, 0.8, 0.79, 0.78, 0.75]),
  large: coefficients.default([1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.6, 0.5, 0.5]),
  loopSmall: coefficients.default([
    1.0, 0.9, 0.85, 0.85, 0.85, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.85, 0.85, 0.9, 1.0,
  ]),
  loopModerate: coefficients.default([
    1.0, 0.8, 0.8, 0.8, 0.79, 0.78, 0.75, 0.75, 0.75, 0.75, 0.75, 0.78, 0.79, 0.8, 0.8, 1.0,
  ]),
  loopLarge: coefficients.default([
    1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.6, 0.5, 0.5, 0.6, 0.7, 0.7, 0.7, 0.7, 0.8, 1.0,
  ]),
  /** Strength (pixels per frame at a 512-pixel long side) up to which "small", then "moderate", applies. */
  smallUpTo: z.number().positive().default(3),
  moderateUpTo: z.number().positive().default(8),
});
export type FrameCoefficients = z.infer<typeof FrameCoefficientsSchema>;

/** ControlNet residuals the UNet takes as extra inputs: the ControlNet's outputs carry the same names. */
export const ControlResidualsSchema = z.object({
  down: z.array(z.string().min(1)).min(1),
  mid: z.string().min(1),
});
export type ControlResiduals = z.infer<typeof ControlResidualsSchema>;

export const UnetComponentSchema = z.object({
  model: PackPathSchema,
  /** F, the number of frames the UNet generates at once (Follow-Your-Click and PIA: 16). */
  frames: z.int().min(2).max(64),
  conditioning: ConditioningLayoutSchema,
  text: TextLayoutSchema.default('per-video'),
  /** Optional scalar inputs [B] the graph declares: the paper's optical-flow magnitude, and fps. */
  inputs: z
    .object({ motionStrength: z.boolean().default(false), fps: z.boolean().default(false) })
    .default({ motionStrength: false, fps: false }),
  /** Only for the all-frames+frame-coefficients layout; PIA's table when left out. */
  frameCoefficients: FrameCoefficientsSchema.optional(),
  /** Present when the UNet takes pose ControlNet residuals. */
  controlResiduals: ControlResidualsSchema.optional(),
});
export type UnetComponent = z.infer<typeof UnetComponentSchema>;

export const ControlNetComponentSchema = z.object({
  /** What the conditioning image is: an OpenPose-style skeleton drawing, 0-1, RGB (MODEL-PACKS.md). */
  kind: z.literal('openpose'),
  model: PackPathSchema,
  conditioningScale: z.number().min(0).max(4).default(1),
});
export type ControlNetComponent = z.infer<typeof ControlNetComponentSchema>;

/**
 * DDIM's config in diffusers' names (scheduler_config.json), so a pack can copy it verbatim; keys Stir does
 * not use (`_class_name`, `_diffusers_version`...) pass through untouched.
 */
export const DdimConfigSchema = z.looseObject({
  num_train_timesteps: z.int().positive().optional(),
  beta_start: z.number().positive().optional(),
  beta_end: z.number().positive().optional(),
  beta_schedule: z.enum(['linear', 'scaled_linear', 'squaredcos_cap_v2']).optional(),
  prediction_type: z.enum(['epsilon', 'v_prediction', 'sample']).optional(),
  rescale_betas_zero_snr: z.boolean().optional(),
  steps_offset: z.int().nonnegative().optional(),
  timestep_spacing: z.enum(['leading', 'trailing', 'linspace']).optional(),
  set_alpha_to_one: z.boolean().optional(),
  clip_sample: z.boolean().optional(),
  clip_sample_range: z.number().positive().optional(),
});
export type DdimConfig = z.infer<typeof DdimConfigSchema>;

export const SchedulerSchema = z.object({
  type: z.literal('ddim'),
  config: DdimConfigSchema,
  /** DDIM's eta: 0 is deterministic. */
  eta: z.number().min(0).max(1).default(0),
});

export const PackDefaultsSchema = z.object({
  steps: z.int().min(1).max(1000).default(25),
  guidance: z.number().min(1).max(30).default(7.5),
  negativePrompt: z.string().default(''),
  /** Long side of the working size in pixels; a multiple of 64. */
  workingLongSide: z.int().min(64).max(2048).multipleOf(64).default(512),
  /** The generated clip's own frame rate (the `fps` input, and the speed the F frames were trained at). */
  fps: z.number().positive().max(60).default(8),
  /** Pixels per frame at a 512-pixel long side, when a region says nothing else (the paper's code: 4). */
  motionStrength: z.number().min(0).default(4),
  /** Grow each region by this share of the photo's long side before compositing (the object may move out). */
  regionDilation: z.number().min(0).max(0.25).default(0.03),
  /** Feather of the composite mask, as a share of the photo's long side. */
  regionFeather: z.number().min(0).max(0.25).default(0.015),
  /**
   * Frame-0 anchoring, not part of the paper's method: generated frame 0 is replaced by the photo and the
   * blurred difference between the photo and generated frame 0 is added to every frame. It hides the VAE
   * round trip's colour drift, and also cancels any change the model makes over the whole clip. Off: the
   * clip is the model's frames composited onto the photo. A render may override it.
   */
  anchorFirstFrame: z.boolean().default(false),
});
export type PackDefaults = z.infer<typeof PackDefaultsSchema>;

export const PackComponentsSchema = z.object({
  segmenter: SegmenterComponentSchema.optional(),
  textEncoder: TextEncoderComponentSchema.optional(),
  vae: VaeComponentSchema.optional(),
  unet: UnetComponentSchema.optional(),
  controlnet: ControlNetComponentSchema.optional(),
});
export type PackComponents = z.infer<typeof PackComponentsSchema>;

const DIFFUSION_PARTS = ['textEncoder', 'vae', 'unet'] as const;

export const PackManifestSchema = z
  .object({
    format: z.literal('stir-pack'),
    formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'id: lower-case letters, digits, ".", "_" and "-", at most 64'),
    name: z.string().min(1).max(120),
    version: z.string().min(1).max(40),
    description: z.string().max(2000).default(''),
    license: z.string().max(200).default(''),
    homepage: z.url().optional(),
    /** Where the weights come from (papers, repositories), for the pack's about box. */
    sources: z.array(z.string()).default([]),
    capabilities: z.array(CapabilitySchema).min(1),
    files: z.array(PackFileSchema).min(1),
    components: PackComponentsSchema,
    scheduler: SchedulerSchema.optional(),
    defaults: PackDefaultsSchema.default(PackDefaultsSchema.parse({})),
  })
  .superRefine((pack, ctx) => {
    const issue = (message: string, path: (string | number)[]) =>
      ctx.addIssue({ code: 'custom', message, path });
    const c = pack.components;

    const seen = new Set<string>();
    pack.files.forEach((file, i) => {
      if (seen.has(file.path)) issue(`"${file.path}" is listed twice`, ['files', i, 'path']);
      seen.add(file.path);
    });
    // Every file a component names must be listed, so it is sized and hashed like the rest.
    for (const [component, path] of componentPaths(c)) {
      if (!seen.has(path)) {
        issue(`${component} names "${path}", which is not in files`, ['components', ...component.split('.')]);
      }
    }

    const has = new Set(pack.capabilities);
    if (has.has('segmenter') && !c.segmenter) {
      issue('the pack says it can segment but has no components.segmenter', ['capabilities']);
    }
    if (has.has('diffusion')) {
      for (const part of DIFFUSION_PARTS) {
        if (!c[part]) issue(`the pack says it can animate but has no components.${part}`, ['capabilities']);
      }
      if (!pack.scheduler) issue('the pack says it can animate but has no scheduler', ['capabilities']);
    }
    if (has.has('pose')) {
      if (!has.has('diffusion')) issue('"pose" needs "diffusion" too', ['capabilities']);
      if (!c.controlnet)
        issue('the pack says it can follow a pose but has no components.controlnet', ['capabilities']);
      if (c.unet && !c.unet.controlResiduals) {
        issue('a pose ControlNet needs the UNet to declare its controlResiduals inputs', [
          'components',
          'unet',
        ]);
      }
    }
    if (c.unet?.frameCoefficients && c.unet.conditioning !== 'all-frames+frame-coefficients') {
      issue('frameCoefficients apply only to the all-frames+frame-coefficients layout', [
        'components',
        'unet',
        'frameCoefficients',
      ]);
    }
    if (c.unet?.controlResiduals && !c.controlnet) {
      issue('the UNet declares controlResiduals but the pack has no components.controlnet to make them', [
        'components',
        'unet',
        'controlResiduals',
      ]);
    }
    if (c.controlnet && !has.has('pose')) {
      issue('components.controlnet is present but "pose" is not among the capabilities', ['capabilities']);
    }
  });
export type PackManifest = z.infer<typeof PackManifestSchema>;
export type PackManifestInput = z.input<typeof PackManifestSchema>;

/** Every (component.field, path) pair a manifest's components name. */
export function componentPaths(components: PackComponents): [string, string][] {
  const pairs: [string, string][] = [];
  const { segmenter, textEncoder, vae, unet, controlnet } = components;
  if (segmenter)
    pairs.push(['segmenter.encoder', segmenter.encoder], ['segmenter.decoder', segmenter.decoder]);
  if (textEncoder) {
    pairs.push(
      ['textEncoder.model', textEncoder.model],
      ['textEncoder.tokenizer.vocab', textEncoder.tokenizer.vocab],
      ['textEncoder.tokenizer.merges', textEncoder.tokenizer.merges],
    );
  }
  if (vae) pairs.push(['vae.encoder', vae.encoder], ['vae.decoder', vae.decoder]);
  if (unet) pairs.push(['unet.model', unet.model]);
  if (controlnet) pairs.push(['controlnet.model', controlnet.model]);
  return pairs;
}

/**
 * Parses a manifest (already JSON-decoded). `source` names it in messages ("the pack in /x/y").
 * Unsafe paths give PATH_ESCAPE; anything else that does not fit gives PACK_INVALID listing every problem.
 */
export function parseManifest(raw: unknown, source: string): PackManifest {
  const result = PackManifestSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'manifest';
    return `${where}: ${issue.message}`;
  });
  const escapes = result.error.issues.some(
    (issue) =>
      issue.code === 'custom' &&
      (issue as { params?: { kind?: unknown } }).params?.kind === PATH_ESCAPE_ISSUE,
  );
  throw new StirError(
    escapes ? 'PATH_ESCAPE' : 'PACK_INVALID',
    `The ${MANIFEST_NAME} of ${source} does not fit the pack format: ${problems.join('; ')}.`,
    {
      hint: escapes
        ? 'The pack names files outside its own folder; it is unsafe and was not used.'
        : 'Get the pack again from where it was published, or fix its manifest.',
      details: { problems },
    },
  );
}

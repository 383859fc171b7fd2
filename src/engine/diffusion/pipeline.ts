// Follow-Your-Click's inference (the paper, section 3; MODEL-PACKS.md), diffusers-style: `run` reads top
// to bottom in numbered steps, each a small named function, and the denoising loop fits on one screen.
// A photo and its regions (mask, motion prompt, strength, optional pose) in; F generated frames at the
// working size out. Mapping those frames onto the timeline and compositing them onto the full-resolution
// photo is the animation's job (animation.ts).
import { StirError, throwIfCancelled, type LoopMode, type Mask, type Pose } from '../../shared/index.js';
import type { RgbaImage } from '../image/types.js';
import type { ControlResiduals, PackManifest, UnetComponent } from '../models/manifest.js';
import type { LazySession, OnnxSession } from '../models/sessions.js';
import type { JobControl } from '../render/types.js';
import { allFramesConditions, firstFrameConditions, frameCoefficients } from './conditioning.js';
import { PoseControlNet } from './controlnet.js';
import { blur, dilate, maskCoverage, maskNearest, union } from './masks.js';
import { poseConditioning } from './pose.js';
import { guideAndBlendPlane, imageVideo, keepOutside, regionLayers } from './regions.js';
import { SeededRandom } from './rng.js';
import type { PromptEncoder } from './text-encoder.js';
import { latentSize, type DenoisingScheduler, type LatentShape } from './types.js';
import { VideoUnet, type ResidualSource, type UnetItem } from './unet.js';
import { decodeFrame, encodeImage, imageTensor, latentPreview } from './vae.js';
import { workingSize } from './working-size.js';

/** The loaded parts of a pack the pipeline runs; sessions load when first needed. */
export interface PipelineComponents {
  manifest: PackManifest;
  prompts: PromptEncoder;
  vaeEncoder: LazySession;
  vaeDecoder: LazySession;
  unet: LazySession;
  controlnet: LazySession | null;
  createScheduler(): DenoisingScheduler;
}

export interface PipelineRegion {
  /** At the photo's size. */
  mask: Mask;
  prompt: string;
  /** Pixels per frame at a 512-pixel long side: the paper's optical-flow magnitude (section 3.3). */
  strength: number;
  pose: Pose | null;
}

export interface PipelineRequest {
  photo: RgbaImage;
  regions: readonly PipelineRegion[];
  seed: number;
  steps: number;
  guidance: number;
  negativePrompt: string;
  /** DDIM's eta: 0 is deterministic. */
  eta: number;
  loop: LoopMode;
  /** Seconds on the timeline at which each generated frame is shown (for pose keyframes). */
  frameTimes: readonly number[];
  workingLongSide: number;
  /** The generated clip's own frame rate, for a UNet that takes `fps`. */
  fps: number;
  /** Called after each step with what diffusers' callback_on_step_end gets (tests read the prediction). */
  onStepEnd?: (step: StepInfo) => void;
  /**
   * The initial latents x_T [4, F, h, w], as diffusers' pipelines take `latents=`: the reference
   * comparison passes the noise the reference drew. Standard normal from the seed when left out.
   */
  initialLatents?: Float32Array;
}

export interface StepInfo {
  index: number;
  timestep: number;
  /** The guided, blended model output [4, F, h, w]. */
  modelOutput: Float32Array;
  /** x_{t-1} after this step. */
  latents: Float32Array;
  predOriginalSample: Float32Array;
  // All three are buffers the next step overwrites: copy to keep.
}

export interface PipelineResult {
  /** F frames at the working size. */
  frames: RgbaImage[];
  width: number;
  height: number;
  /** The final latent [4, F, h, w]. */
  latents: Float32Array;
  shape: LatentShape;
}

/** Steps between previews of the predicted clean frames. */
const PREVIEWS_PER_RUN = 5;

export class FollowYourClickPipeline {
  constructor(readonly components: PipelineComponents) {}

  async run(request: PipelineRequest, control: JobControl): Promise<PipelineResult> {
    const { signal } = control;
    const { manifest } = this.components;
    const unetConfig = manifest.components.unet!;

    // 0. Working size (a multiple of 64, aspect kept) and the latent's shape.
    control.progress('Loading the video model', 0);
    const unet = await this.components.unet.get();
    const size = workingSize(
      request.photo.width,
      request.photo.height,
      request.workingLongSide,
      fixedLatent(unet),
    );
    const shape: LatentShape = {
      channels: 4,
      frames: unetConfig.frames,
      height: size.height / 8,
      width: size.width / 8,
    };

    // 1. Check inputs.
    checkInputs(request, unetConfig);

    // 2. Encode the prompts: each region's, and the negative prompt for guidance.
    control.progress('Reading the motion prompts', 0.02);
    const useGuidance = request.guidance > 1;
    const texts = [...request.regions.map((r) => r.prompt), request.negativePrompt];
    const embeddings = await this.components.prompts.encode(texts, signal);
    const negative = embeddings[embeddings.length - 1]!;

    // 3. Encode the photo at the working size: the image latent z0 (section 3.2).
    control.progress('Encoding the photo', 0.05);
    const vaeConfig = manifest.components.vae!;
    const imageLatent = await encodeImage(
      await this.components.vaeEncoder.get(),
      await imageTensor(request.photo, size.width, size.height),
      size.width,
      size.height,
      vaeConfig,
      signal,
    );

    // 4. Region masks at latent size: nearest for the mask channel; soft for blending and keeping still.
    const masks = regionMasks(request.regions, shape, manifest);

    // 5. UNet items: one per region and guidance half, the same item run once.
    const plan = unetPlan(
      request,
      unetConfig,
      shape,
      imageLatent,
      masks.channel,
      embeddings,
      negative,
      useGuidance,
    );
    const videoUnet = new VideoUnet(unet, unetConfig, shape, textDims(manifest), plan.items);

    // 6. Timesteps, and the initial latents: given, or standard normal from the seed.
    const scheduler = this.components.createScheduler();
    scheduler.setTimesteps(request.steps);
    const random = new SeededRandom(request.seed);
    const initialNoise = request.initialLatents
      ? checkedLatents(request.initialLatents, shape)
      : random.fillNormal(new Float32Array(latentSize(shape)));
    // Updated in place by every step (x_t becomes x_{t-1}): the loop allocates no latent-sized arrays.
    const latents = initialNoise.slice();
    const moving = unetConfig.conditioning === 'all-frames+frame-coefficients' ? masks.moving : null;
    const stillImage = moving ? imageVideo(imageLatent, shape) : null;

    // 7. Pose conditioning: skeleton drawings per generated frame, through the ControlNet.
    const residuals = await this.#residualSource(request, unetConfig, shape, size, plan.items);

    // 8. Denoising loop. Every buffer it writes is made here, once, and a step's own work is one pass
    // over float32 arrays (MODEL-PACKS.md: next to a GPU's UNet run it must stay a few percent).
    const timesteps = scheduler.timesteps;
    const plane = shape.height * shape.width;
    const layers = regionLayers(masks.blend, plane);
    const modelOutput = new Float32Array(latents.length);
    const predOriginalSample = new Float32Array(latents.length);
    const stepNoise = request.eta > 0 ? new Float32Array(latents.length) : null;
    const stillReference = stillImage ? new Float32Array(latents.length) : null;
    const previewEvery = Math.max(1, Math.floor(timesteps.length / PREVIEWS_PER_RUN));
    for (let i = 0; i < timesteps.length; i++) {
      const t = timesteps[i]!;
      throwIfCancelled(signal);
      // 8a. The UNet on every item, in as few runs as the graph allows (ControlNet residuals first).
      const predictions = await videoUnet.predict(latents, t, residuals, signal);
      throwIfCancelled(signal);
      // 8b-c. One [h, w] plane at a time, so the plane stays in cache from guidance to the DDIM step:
      //   8b. classifier-free guidance per region, noise_pred = uncond + scale * (cond - uncond), and the
      //       regions blended through their masks, bottom to top (regions.ts);
      //   8c. the DDIM step x_t -> x_{t-1} (eq. 12; scheduler/ddim.ts), written over the latents.
      if (stepNoise) random.fillNormal(stepNoise);
      const ddim = scheduler.coefficients(t, request.eta);
      const { guidance } = request;
      for (let from = 0, to = plane; from < latents.length; from = to, to += plane) {
        guideAndBlendPlane(predictions, plan.regions, guidance, layers, modelOutput, from);
        scheduler.stepRange(ddim, latents, modelOutput, stepNoise, latents, predOriginalSample, from, to);
      }
      // 8d. No region input (PIA): outside the regions, the photo's latent noised to the next timestep.
      if (moving && stillImage && stillReference) {
        const next = timesteps[i + 1];
        const reference =
          next === undefined
            ? stillImage
            : scheduler.addNoise(stillImage, initialNoise, next, stillReference);
        keepOutside(latents, reference, moving, shape);
      }
      // 8e. Progress, a preview of the predicted clean frames every few steps, the step callback.
      control.progress(
        `Animating, step ${i + 1} of ${timesteps.length}`,
        0.1 + (0.8 * (i + 1)) / timesteps.length,
      );
      if (control.preview && ((i + 1) % previewEvery === 0 || i === timesteps.length - 1)) {
        control.preview(
          latentPreview(predOriginalSample, shape.frames, shape.height, shape.width),
          `step ${i + 1}`,
        );
      }
      request.onStepEnd?.({
        index: i,
        timestep: t,
        modelOutput,
        latents,
        predOriginalSample,
      });
    }

    // 9. Decode the frames one at a time.
    const frames = await this.#decodeFrames(latents, shape, control);
    return { frames, width: size.width, height: size.height, latents, shape };
  }

  async #residualSource(
    request: PipelineRequest,
    unetConfig: UnetComponent,
    shape: LatentShape,
    size: { width: number; height: number },
    items: readonly UnetItem[],
  ): Promise<ResidualSource | null> {
    const residualNames = unetConfig.controlResiduals;
    if (!residualNames || !this.components.controlnet) return null;
    const drawings = poseConditioning(
      request.regions.map((r) => r.pose),
      request.frameTimes,
      request.photo,
      size,
    );
    const controlnet = new PoseControlNet({
      session: await this.components.controlnet.get(),
      residualNames: names(residualNames),
      scale: this.components.manifest.components.controlnet?.conditioningScale ?? 1,
      shape,
      textDims: textDims(this.components.manifest),
      drawings,
      imageSize: size,
    });
    return controlnet.source(items);
  }

  async #decodeFrames(latents: Float32Array, shape: LatentShape, control: JobControl): Promise<RgbaImage[]> {
    const decoder = await this.components.vaeDecoder.get();
    const vae = this.components.manifest.components.vae!;
    const plane = shape.height * shape.width;
    const frames: RgbaImage[] = [];
    for (let f = 0; f < shape.frames; f++) {
      const frame = new Float32Array(4 * plane);
      for (let c = 0; c < 4; c++) {
        frame.set(
          latents.subarray((c * shape.frames + f) * plane, (c * shape.frames + f + 1) * plane),
          c * plane,
        );
      }
      frames.push(await decodeFrame(decoder, frame, shape.width, shape.height, vae, control.signal));
      control.progress(`Decoding frame ${f + 1} of ${shape.frames}`, 0.9 + (0.1 * (f + 1)) / shape.frames);
    }
    return frames;
  }
}

function names(residuals: ControlResiduals): string[] {
  return [...residuals.down, residuals.mid];
}

function textDims(manifest: PackManifest): [number, number] {
  const text = manifest.components.textEncoder!;
  return [text.maxLength, text.hiddenSize];
}

/** A UNet exported with a fixed latent height and width decides the working size. */
function fixedLatent(unet: OnnxSession): { width: number; height: number } | null {
  const dims = unet.input('sample').shape;
  const h = dims[3];
  const w = dims[4];
  return typeof h === 'number' && typeof w === 'number' ? { width: w, height: h } : null;
}

function checkedLatents(latents: Float32Array, shape: LatentShape): Float32Array {
  if (latents.length !== latentSize(shape)) {
    throw new StirError(
      'BAD_REQUEST',
      `The initial latents hold ${latents.length} numbers; this photo and pack need ${latentSize(shape)} (4 x ${shape.frames} x ${shape.height} x ${shape.width}).`,
    );
  }
  return latents;
}

function checkInputs(request: PipelineRequest, unet: UnetComponent): void {
  if (request.regions.length === 0) {
    throw new StirError('BAD_REQUEST', 'The diffusion engine needs at least one region to animate.');
  }
  for (const region of request.regions) {
    if (region.mask.width !== request.photo.width || region.mask.height !== request.photo.height) {
      throw new StirError('BAD_REQUEST', "A region's mask does not have the photo's size.", {
        details: {
          mask: [region.mask.width, region.mask.height],
          photo: [request.photo.width, request.photo.height],
        },
      });
    }
  }
  if (!Number.isInteger(request.steps) || request.steps < 1) {
    throw new StirError(
      'BAD_REQUEST',
      `The number of steps must be a whole number of at least 1 (got ${request.steps}).`,
    );
  }
  if (request.frameTimes.length !== unet.frames) {
    throw new StirError('INTERNAL', `Expected ${unet.frames} frame times, got ${request.frameTimes.length}.`);
  }
}

interface RegionMasks {
  /** The UNet's mask channel per region [h, w] (nearest sampling). */
  channel: Float32Array[];
  /** Soft weights per region for blending predictions. */
  blend: Float32Array[];
  /** The union of the regions, dilated and feathered: what may move (the rest is kept still). */
  moving: Float32Array;
}

function regionMasks(
  regions: readonly PipelineRegion[],
  shape: LatentShape,
  manifest: PackManifest,
): RegionMasks {
  const { width, height } = shape;
  const channel = regions.map((r) => maskNearest(r.mask, width, height));
  // One latent cell of softness, so neighbouring regions do not meet at a hard seam.
  const blend = regions.map((r) =>
    blur(dilate(maskCoverage(r.mask, width, height), width, height, 1), width, height, 1),
  );
  const longSide = Math.max(width, height);
  const inside = union(
    regions.map((r) => maskCoverage(r.mask, width, height).map((v) => (v >= 0.5 ? 1 : 0))),
    width * height,
  );
  const moving = blur(
    dilate(inside, width, height, Math.ceil(manifest.defaults.regionDilation * longSide)),
    width,
    height,
    Math.ceil(manifest.defaults.regionFeather * longSide),
  ).map((v) => Math.min(1, v));
  return { channel, blend, moving };
}

interface UnetPlan {
  items: UnetItem[];
  /** Per region, the indices of its conditional and unconditional items (null without guidance). */
  regions: { cond: number; uncond: number | null }[];
}

function unetPlan(
  request: PipelineRequest,
  unet: UnetComponent,
  shape: LatentShape,
  imageLatent: Float32Array,
  channelMasks: readonly Float32Array[],
  embeddings: readonly Float32Array[],
  negative: Float32Array,
  useGuidance: boolean,
): UnetPlan {
  const items: UnetItem[] = [];
  const keys = new Map<string, number>();
  const conditionsCache = new Map<string, Float32Array>();
  const itemFor = (key: string, make: () => UnetItem) => {
    let index = keys.get(key);
    if (index === undefined) {
      index = items.length;
      items.push(make());
      keys.set(key, index);
    }
    return index;
  };
  const regions = request.regions.map((region, r) => {
    // What the conditioning channels depend on: the region's mask (first-frame layout) or its motion preset (PIA).
    const conditionsKey =
      unet.conditioning === 'first-frame+region-mask'
        ? `mask:${r}`
        : `coef:${frameCoefficients(shape.frames, region.strength, request.loop, unet.frameCoefficients).join(',')}`;
    const conditions = () => {
      let c = conditionsCache.get(conditionsKey);
      if (!c) {
        c =
          unet.conditioning === 'first-frame+region-mask'
            ? firstFrameConditions(imageLatent, channelMasks[r]!, shape.frames, shape.height, shape.width)
            : allFramesConditions(
                imageLatent,
                frameCoefficients(shape.frames, region.strength, request.loop, unet.frameCoefficients),
                shape.frames,
                shape.height,
                shape.width,
              );
        conditionsCache.set(conditionsKey, c);
      }
      return c;
    };
    const scalars = `${unet.inputs.motionStrength ? region.strength : ''}|${request.fps}`;
    const make = (text: Float32Array) => () => ({
      conditions: conditions(),
      text,
      strength: region.strength,
      fps: request.fps,
    });
    const cond = itemFor(`${conditionsKey}|prompt:${region.prompt}|${scalars}`, make(embeddings[r]!));
    const uncond = useGuidance ? itemFor(`${conditionsKey}|negative|${scalars}`, make(negative)) : null;
    return { cond, uncond };
  });
  return { items, regions };
}

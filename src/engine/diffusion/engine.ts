// The diffusion engine (ARCHITECTURE.md, "Two engines, one interface"): the same render request and the
// same Animation as the built-in engine, made with an installed model pack. The pack is loaded and checked
// when first needed; its sessions load when first needed and stay loaded between renders until
// `release()` (the editor calls it under memory pressure or when the pack changes).
import { StirError, throwIfCancelled, type DeviceId } from '../../shared/index.js';
import { scaledControl } from '../jobs/scaled-control.js';
import { offerCpu } from '../models/install/devices.js';
import {
  PROVIDER_NAMES,
  planProviders,
  type ProviderPlan,
  type ProviderPreference,
} from '../models/providers.js';
import { isOutOfMemory } from '../models/sessions.js';
import { loadPack, type LoadedPack } from '../models/validate.js';
import type { AnimateInput, Animation, AnimationEngine, JobControl } from '../render/types.js';
import { DiffusionAnimation } from './animation.js';
import { pipelineComponents, type DiffusionParts } from './components.js';
import { FollowYourClickPipeline, type PipelineComponents, type StepInfo } from './pipeline.js';
import { combineSeeds } from './rng.js';
import { generatedFrameTimes } from './timeline.js';

export interface DiffusionEngineOptions {
  packDir: string;
  /** 'auto' (default) or a provider id (cpu, cuda, tensorrt, dml, coreml, webgpu). */
  provider?: string;
  /** Denoising steps; the pack's default when left out. */
  steps?: number;
  /** Classifier-free guidance scale; the pack's default (the paper: 7.5) when left out. */
  guidance?: number;
  /** Long side of the working size (a multiple of 64); the pack's default (512) when left out. */
  workingLongSide?: number;
  /** Check every file's sha256 when the pack is first loaded (the installer already did). */
  verifyHashes?: boolean;
  /** Called after each denoising step (tests and benchmarks). */
  onStepEnd?: (step: StepInfo) => void;
}

export class DiffusionEngine implements AnimationEngine {
  readonly id = 'diffusion' as const;
  readonly #options: DiffusionEngineOptions;
  readonly #parts: DiffusionParts;
  readonly #provider: ProviderPreference;
  /** The providers sessions try, best first (what 'auto' prefers, or the one forced). */
  readonly #plan: ProviderPlan;
  #pack: Promise<LoadedPack> | null = null;
  #components: PipelineComponents | null = null;

  constructor(options: DiffusionEngineOptions, parts: DiffusionParts) {
    this.#options = options;
    this.#parts = parts;
    this.#provider = (options.provider ?? 'auto') as ProviderPreference;
    try {
      // An unknown or unavailable provider is refused now, in words; an unavailable one offers the CPU.
      this.#plan = planProviders(this.#provider);
    } catch (caught) {
      throw offerCpu(caught, this.#provider as DeviceId);
    }
  }

  /** The pack, loaded and checked once (files present with their sizes; hashes when asked). */
  pack(): Promise<LoadedPack> {
    if (this.#pack === null) {
      const loading = loadPack(this.#options.packDir, { verifyHashes: this.#options.verifyHashes ?? false });
      loading.catch(() => {
        if (this.#pack === loading) this.#pack = null;
      });
      this.#pack = loading;
    }
    return this.#pack;
  }

  async prepare(input: AnimateInput, control: JobControl): Promise<Animation> {
    try {
      return await this.#prepare(input, control);
    } catch (caught) {
      // A buffer JavaScript could not allocate (16 frames of pose drawings, a huge photo) is memory too.
      if (!(caught instanceof StirError) && isOutOfMemory(caught)) {
        throw new StirError('OUT_OF_MEMORY', 'There was not enough memory for this animation.', {
          hint: 'Close other programs, or choose a smaller output size or fewer regions.',
          cause: caught,
        });
      }
      // A GPU that would not start or ran out of memory: say so, and offer the CPU (issue 7, point 3).
      throw offerCpu(caught, this.#failedDevice(caught));
    }
  }

  /** The device a failure is about: the one it names, else the one the UNet runs on, else the preferred one. */
  #failedDevice(caught: unknown): DeviceId {
    const named = caught instanceof StirError ? caught.details?.provider : undefined;
    if (typeof named === 'string' && (this.#plan.candidates as string[]).includes(named)) {
      return named as DeviceId;
    }
    return this.#components?.unet.current?.provider ?? this.#plan.candidates[0] ?? 'cpu';
  }

  async #prepare(input: AnimateInput, control: JobControl): Promise<Animation> {
    control.progress('Checking the model pack', 0);
    const pack = await this.pack();
    const { manifest } = pack;
    if (!manifest.capabilities.includes('diffusion')) {
      throw new StirError(
        'PACK_INVALID',
        `The model pack "${manifest.name}" cannot animate; it only segments.`,
        {
          hint: 'Choose a pack with a video model, or the built-in motion engine.',
        },
      );
    }
    throwIfCancelled(control.signal);
    const timing = { seconds: input.timing.seconds, fps: input.timing.fps, loop: input.timing.loop };
    const defaults = manifest.defaults;
    const regions = input.regions;
    if (regions.length === 0) {
      return DiffusionAnimation.create({
        photo: input.photo,
        size: input.size,
        generated: [],
        regions: [],
        timing,
        dilation: defaults.regionDilation,
        feather: defaults.regionFeather,
        anchorFirstFrame: false,
      });
    }
    const frames = manifest.components.unet!.frames;
    // Pose keyframes are read at the times the generated frames are shown (the first posed region's window).
    const posed = regions.find((r) => r.pose !== null) ?? regions[0]!;
    const components = this.#componentsFor(pack);
    await this.#reportDevice(components, control);
    const pipeline = new FollowYourClickPipeline(components);
    const result = await pipeline.run(
      {
        photo: input.photo,
        regions: regions.map((r) => ({ mask: r.mask, prompt: r.prompt, strength: r.strength, pose: r.pose })),
        seed: combineSeeds(regions.map((r) => r.seed)),
        steps: this.#options.steps ?? defaults.steps,
        guidance: this.#options.guidance ?? defaults.guidance,
        negativePrompt: defaults.negativePrompt,
        eta: manifest.scheduler?.eta ?? 0,
        loop: timing.loop,
        frameTimes: generatedFrameTimes(timing, { start: posed.start, end: posed.end }, frames),
        workingLongSide: this.#options.workingLongSide ?? defaults.workingLongSide,
        fps: defaults.fps,
        onStepEnd: this.#options.onStepEnd,
      },
      scaledControl(control, 0.02, 0.97),
    );
    control.progress('Compositing onto the photo', 0.97);
    const animation = await DiffusionAnimation.create({
      photo: input.photo,
      size: input.size,
      generated: result.frames,
      regions: regions.map((r) => ({ mask: r.mask, window: { start: r.start, end: r.end } })),
      timing,
      dilation: defaults.regionDilation,
      feather: defaults.regionFeather,
      anchorFirstFrame: input.anchorFirstFrame ?? defaults.anchorFirstFrame,
    });
    control.progress('Ready', 1);
    return animation;
  }

  /**
   * Loads the UNet (the pipeline would next) and tells the job which device it runs on: the one most of
   * the time goes to. With 'auto', a session that fell back names the device it fell back from and why.
   */
  async #reportDevice(components: PipelineComponents, control: JobControl): Promise<void> {
    control.progress('Loading the video model', 0.02);
    const unet = await components.unet.get();
    const preferred = this.#plan.candidates[0] ?? 'cpu';
    const fellBack = unet.provider !== preferred;
    control.device?.({
      device: unet.provider,
      fellBackFrom: fellBack ? preferred : null,
      reason: fellBack ? (unet.fallbackReason ?? `${PROVIDER_NAMES[preferred]} could not be used`) : null,
    });
  }

  /** Frees every session (they load again when next needed) and the cached prompt embeddings. */
  async release(): Promise<void> {
    const components = this.#components;
    this.#components = null;
    if (!components) return;
    components.prompts.clear();
    await Promise.all(
      [
        components.prompts.session,
        components.vaeEncoder,
        components.vaeDecoder,
        components.unet,
        components.controlnet,
      ].map((s) => s?.release()),
    );
  }

  async dispose(): Promise<void> {
    await this.release();
  }

  /** Runs and milliseconds inside onnxruntime so far, per loaded session (benchmarks, diagnostics). */
  sessionStats(): Record<string, { runs: number; runMillis: number; provider: string }> {
    const stats: Record<string, { runs: number; runMillis: number; provider: string }> = {};
    const c = this.#components;
    if (!c) return stats;
    const all = {
      textEncoder: c.prompts.session,
      vaeEncoder: c.vaeEncoder,
      vaeDecoder: c.vaeDecoder,
      unet: c.unet,
      controlnet: c.controlnet,
    };
    for (const [name, lazy] of Object.entries(all)) {
      const session = lazy?.current;
      if (session)
        stats[name] = { runs: session.runs, runMillis: session.runMillis, provider: session.provider };
    }
    return stats;
  }

  #componentsFor(pack: LoadedPack): PipelineComponents {
    this.#components ??= pipelineComponents(pack, this.#provider, this.#parts);
    return this.#components;
  }
}

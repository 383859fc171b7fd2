// What every animation engine (the built-in motion engine, the diffusion engine) takes and gives.
// Both take the same input and give the same Animation, so the preview, the export and the CLI never
// care which engine ran (ARCHITECTURE.md, "Two engines, one interface").
import type {
  DeviceId,
  EngineId,
  FreezeStroke,
  LoopMode,
  Mask,
  MotionPath,
  Point,
  Pose,
} from '../../shared/index.js';
import type { RgbaImage } from '../image/types.js';

/** One region as an engine sees it; masks are at the photo's full size. */
export interface RegionSpec {
  id: string;
  mask: Mask;
  /** The motion word or phrase as the person typed it. */
  prompt: string;
  /** Mean displacement inside the region, pixels per frame at a 512-pixel long side (QUALITY.md). */
  strength: number;
  /** Degrees counter-clockwise from pointing right; null for the motion's own direction. */
  direction: number | null;
  seed: number;
  /** Seconds on the timeline where this region moves; it holds still outside [start, end). */
  start: number;
  end: number | null;
  /** Cycles per second of a periodic motion; null or absent for the motion word's own. */
  tempo?: number | null;
  pose: Pose | null;
  /** Drawn motion paths, anchors and freeze strokes, in photo pixels (the region's motion, model.ts); none when left out. */
  paths?: MotionPath[];
  anchors?: Point[];
  freeze?: FreezeStroke[];
}

export interface AnimationTiming {
  seconds: number;
  fps: number;
  loop: LoopMode;
}

export interface AnimateInput {
  /** The photo at full resolution. */
  photo: RgbaImage;
  /** Bottom to top: a later region is drawn over an earlier one where they overlap. */
  regions: RegionSpec[];
  timing: AnimationTiming;
  /** Output size: the photo's size or smaller, aspect kept (preview, "long side" exports). */
  size: { width: number; height: number };
  /** Diffusion engine only: frame-0 anchoring on or off; left out or null, the pack's default. */
  anchorFirstFrame?: boolean | null;
}

/** What a long piece of engine work gets from its job: cancellation and a way to report progress. */
export interface JobControl {
  readonly signal: AbortSignal;
  /** stage: what is happening, in words ("Building motion fields"); fraction: 0-1 of the whole job. */
  progress(stage: string, fraction: number): void;
  /** Optional small previews while a slow engine works (the diffusion engine's predicted clean frames). */
  preview?(image: RgbaImage, note: string): void;
  /** Optional: the device the job's models run on, once known (issue 7, point 3; the jobDevice event). */
  device?(info: JobDeviceInfo): void;
}

export interface JobDeviceInfo {
  device: DeviceId;
  /** The device tried first, when it failed and the job fell back (to the CPU); null otherwise. */
  fellBackFrom: DeviceId | null;
  /** Why it fell back, in words; null when it did not. */
  reason: string | null;
}

/**
 * A prepared animation. frameCount = round(seconds * fps), whatever the loop mode; frame 0 equals the
 * photo (at the output size). Frames can be asked for in any order; `frames` yields them in order and may
 * render ahead in parallel.
 */
export interface Animation {
  readonly engine: EngineId;
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  readonly fps: number;
  /**
   * Optional: the frames after which the clip repeats itself (a divisor of frameCount; frame i + period
   * shows frame i), so an export renders and encodes one period and repeats it. Left out: no repeat.
   */
  readonly period?: number;
  renderFrame(index: number, signal?: AbortSignal): Promise<RgbaImage>;
  frames(options?: {
    from?: number;
    to?: number;
    signal?: AbortSignal;
  }): AsyncIterable<{ index: number; image: RgbaImage }>;
  /**
   * Optional: the caller is done with a frame this animation gave it and will never read it again (the
   * exporter, once ffmpeg has the frame), so its memory may hold a later frame instead of new memory.
   */
  recycle?(image: RgbaImage): void;
  /** Releases workers, sessions and buffers. */
  dispose(): Promise<void>;
}

export interface AnimationEngine {
  readonly id: EngineId;
  prepare(input: AnimateInput, control: JobControl): Promise<Animation>;
}

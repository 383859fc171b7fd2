// Stir's built-in motion engine (ARCHITECTURE.md, "Two engines, one interface"): ambient and physical
// motions inside each region, from motion fields and layered transforms, on the CPU, with nothing to
// download. See spec.ts for the primitives, words.ts for the lexicon, prepare.ts for the planning and
// render-frame.ts for the renderer.
import { availableParallelism } from 'node:os';
import { StirError } from '../../shared/index.js';
import type { AnimateInput, AnimationEngine, JobControl } from '../render/types.js';
import { MotionAnimation } from './animation.js';
import { checkMotionRegions } from './lexicon.js';
import { planInput } from './prepare.js';
import { RenderPool } from './render-pool.js';
import { WarmWorkers, type WarmWorkerStats } from './warm-workers.js';
import type { PeopleDetector } from '../people/detector.js';

export { MotionAnimation } from './animation.js';
export type { RegionReport } from './prepare.js';
export { motionVocabulary, checkMotionRegions } from './lexicon.js';

export interface MotionEngineOptions {
  /** Render worker threads; 0 renders on the calling thread. Default: one per core. */
  workers?: number;
  /** The worker script (a bundled build passes its worker.js); default: worker.ts or .js beside this file. */
  workerUrl?: URL;
  /** Finds the faces that face motions (blink, smile) move; without it those words are refused. */
  people?: PeopleDetector;
  /**
   * How long render workers wait, warm, for the next render after one ends (default 60 s); 0 stops them
   * with their animation.
   */
  keepWarmMs?: number;
}

/** The built-in engine, with its warm render workers: dispose() stops them. */
export interface MotionEngine extends AnimationEngine {
  readonly id: 'motion';
  prepare(input: AnimateInput, control: JobControl): Promise<MotionAnimation>;
  /** Workers started so far, and those waiting warm. */
  readonly workerStats: WarmWorkerStats;
  dispose(): Promise<void>;
}

/** An editor re-renders within seconds of the last render; a minute covers a pause to think. */
const KEEP_WARM_MS = 60_000;

function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
}

function checkInput(input: AnimateInput): void {
  const { photo, size } = input;
  if (!(size.width >= 1 && size.height >= 1 && size.width <= photo.width && size.height <= photo.height)) {
    throw new StirError(
      'BAD_REQUEST',
      `The output size ${size.width}x${size.height} must be at least 1x1 and no larger than the photo (${photo.width}x${photo.height}).`,
    );
  }
  if (!(input.timing.fps > 0 && input.timing.seconds > 0)) {
    throw new StirError('BAD_REQUEST', 'A clip needs a positive length and frame rate.');
  }
}

export function createMotionEngine(options: MotionEngineOptions = {}): MotionEngine {
  const workers = Math.max(0, Math.floor(options.workers ?? availableParallelism()));
  const warm = new WarmWorkers(
    options.workerUrl ?? defaultWorkerUrl(),
    options.keepWarmMs ?? KEEP_WARM_MS,
    workers,
  );
  return {
    id: 'motion',
    get workerStats() {
      return warm.stats;
    },
    dispose: () => warm.close(),
    async prepare(input: AnimateInput, control: JobControl): Promise<MotionAnimation> {
      checkInput(input);
      checkMotionRegions(input.regions);
      // Warm workers are ready at once; new ones start loading while the photo is resized. The first
      // one up builds the plan.
      const pool = new RenderPool(workers, warm);
      try {
        const { plan, regions } = await pool.prepare(
          await planInput(input, control, options.people ?? null),
          control,
        );
        return new MotionAnimation(plan, regions, input.timing.fps, pool);
      } catch (caught) {
        await pool.close();
        throw caught;
      }
    },
  };
}

// The Animation the built-in engine returns (src/engine/render/types.ts): frames on demand, in order with
// render-ahead on the worker pool, cancellable, and disposed with its workers.
import { StirError } from '../../shared/index.js';
import type { RgbaImage } from '../image/types.js';
import type { Animation } from '../render/types.js';
import type { FramePlan } from './plan.js';
import { planPeriod } from './plan-period.js';
import type { RegionReport } from './prepare.js';
import type { RenderPool, RenderStats } from './render-pool.js';

export class MotionAnimation implements Animation {
  readonly engine = 'motion' as const;
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  readonly fps: number;
  readonly period: number;
  /** What the engine made of each region, with the strength of its own displacement field. */
  readonly regions: readonly RegionReport[];
  readonly #pool: RenderPool;

  /** `pool` was started before the plan was built; it gets the plan here. */
  constructor(plan: FramePlan, regions: RegionReport[], fps: number, pool: RenderPool) {
    this.width = plan.width;
    this.height = plan.height;
    this.frameCount = plan.frameCount;
    this.fps = fps;
    this.period = planPeriod(plan);
    this.regions = regions;
    this.#pool = pool;
    pool.setPlan(plan);
  }

  renderFrame(index: number, signal?: AbortSignal): Promise<RgbaImage> {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      return Promise.reject(
        new StirError(
          'BAD_REQUEST',
          `There is no frame ${index}: the clip has frames 0 to ${this.frameCount - 1}.`,
        ),
      );
    }
    return this.#pool.render(index, signal);
  }
  /** Resolves once every render worker has started (or failed to); rendering does not wait for it. */
  whenWorkersSettled(): Promise<void> {
    return this.#pool.whenWorkersSettled();
  }

  /** Frames rendered by the worker threads and on the calling thread, the workers alive, where it was planned. */
  get renderStats(): RenderStats {
    return this.#pool.stats;
  }

  async *frames(
    options: { from?: number; to?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<{ index: number; image: RgbaImage }> {
    const from = Math.max(0, options.from ?? 0);
    const to = Math.min(this.frameCount, options.to ?? this.frameCount);
    // Our own signal too, so frames rendered ahead stop when the caller stops early.
    const local = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, local.signal]) : local.signal;
    const ahead = Math.max(2, this.#pool.workerCount * 2);
    const pending = new Map<number, Promise<RgbaImage>>();
    let next = from;
    try {
      for (let index = from; index < to; index++) {
        while (next < to && next - index < ahead) {
          const promise = this.#pool.render(next, signal);
          promise.catch(() => undefined); // awaited below, or abandoned when we stop early
          pending.set(next, promise);
          next++;
        }
        const image = await pending.get(index)!;
        pending.delete(index);
        yield { index, image };
      }
    } finally {
      local.abort();
    }
  }

  /** A frame's memory goes back to the render workers for a later frame (render-pool.ts). */
  recycle(image: RgbaImage): void {
    this.#pool.recycle(image.data);
  }

  dispose(): Promise<void> {
    return this.#pool.close();
  }
}

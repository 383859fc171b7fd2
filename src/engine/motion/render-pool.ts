// Builds one plan and renders its frames on worker threads (issue 3, point 6: rendering uses every core).
// The plan is built by the first worker that is up (issue 14, point 3: building motion fields blocked the
// engine's event loop for seconds on large photos). The main thread renders frames only while no worker
// is up, so the first frames never wait for workers to start. Cancellation reaches a frame in flight
// through a shared epoch counter (worker.ts); a plan being built stops when the pool is closed. Workers
// are borrowed from the engine's warm workers (warm-workers.ts) and the idle ones given back on close.
import type { Worker } from 'node:worker_threads';
import { StirError } from '../../shared/index.js';
import type { RgbaImage } from '../image/types.js';
import type { JobControl } from '../render/types.js';
import type { FramePlan } from './plan.js';
import { buildPlan, type PlanInput, type PreparedPlan } from './prepare.js';
import { createScratch, renderFrameInto } from './render-frame.js';
import type { WarmWorkers } from './warm-workers.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

interface Job {
  id: number;
  index: number;
  signal: AbortSignal | undefined;
  resolve(image: RgbaImage): void;
  reject(error: unknown): void;
  onAbort: (() => void) | null;
}

/** A plan being built on a worker. */
interface Preparing {
  /** The regions asked for: a report sent back without its motion area has its region's mask. */
  regions: PlanInput['regions'];
  progress: JobControl['progress'];
  resolve(prepared: PreparedPlan): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  job: Job | null;
  preparing: Preparing | null;
  /** Removes this pool's listeners from the worker (before it goes back to the warm workers). */
  detach(): void;
}

export interface RenderStats {
  workerFrames: number;
  inlineFrames: number;
  workersAlive: number;
  plannedOn: 'worker' | 'caller' | null;
  /** How many workers built a part of the plan (each region on its own when there are several). */
  planners: number;
}

const cancelled = () => new StirError('CANCELLED', 'The job was cancelled.');

export class RenderPool {
  #plan: FramePlan | null = null;
  readonly #epoch = new Int32Array(new SharedArrayBuffer(4));
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  readonly #scratch = createScratch();
  #nextId = 1;
  /** The worker the next recycled frame buffer goes to (they take turns). */
  #recycleTurn = 0;
  #inlineScheduled = false;
  #closed = false;
  /** Frames finished by the workers and on the main thread (tests and benchmarks read them). */
  readonly #counts = { workerFrames: 0, inlineFrames: 0 };
  /** Where the plan was built: on a worker, or on the calling thread when no worker was up. */
  #plannedOn: 'worker' | 'caller' | null = null;
  readonly #planners = new Set<Slot>();
  /** Called whenever a worker becomes ready or dies. */
  readonly #slotChanged = new Set<() => void>();

  readonly #source: WarmWorkers | null;

  /** Borrows the workers at once, so new ones load while the photo is resized (prepare). */
  constructor(workers: number, source: WarmWorkers | null) {
    this.#source = source;
    if (source) for (let i = 0; i < workers; i++) this.#startSlot(source);
  }

  /**
   * Builds the plan on the workers; on the calling thread when the pool has no workers or none of them
   * starts. Rejects at once on cancel: closing the pool then stops the building workers.
   */
  async prepare(input: PlanInput, control: JobControl): Promise<PreparedPlan> {
    const slot = await this.#firstReady(control.signal);
    this.#plannedOn = slot ? 'worker' : 'caller';
    if (!slot) return buildPlan(input, control);
    if (input.regions.length < 2 || this.#slots.length < 2) return this.#prepareOn(slot, input, control);
    return this.#prepareRegions(input, control);
  }

  /**
   * Plans each region on its own, on whichever worker is free, and joins the plans in the regions' order:
   * a region's plan depends on nothing but its own request (buildPlan), so the result is the plan one
   * worker builds, while a large photo's regions (the storm's sky and field) are planned at once.
   */
  #prepareRegions(input: PlanInput, control: JobControl): Promise<PreparedPlan> {
    const count = input.regions.length;
    const planned: PreparedPlan[] = [];
    const progress = new Array<number>(count).fill(0);
    let next = 0;
    let finished = 0;
    let settled = false;
    return new Promise<PreparedPlan>((resolve, reject) => {
      const settle = (error: unknown, prepared: PreparedPlan | null) => {
        settled = true;
        this.#slotChanged.delete(assign);
        control.signal.removeEventListener('abort', assign);
        if (prepared) resolve(prepared);
        else reject(error);
      };
      const assign = () => {
        if (settled) return;
        if (this.#closed || control.signal.aborted) return settle(cancelled(), null);
        for (const slot of this.#slots) {
          if (next >= count) break;
          if (!slot.ready || slot.dead || slot.preparing) continue;
          const n = next++;
          const regionProgress = (stage: string, fraction: number) => {
            progress[n] = fraction;
            control.progress(stage, progress.reduce((sum, f) => sum + f, 0) / count);
          };
          const request = { ...input, regions: [input.regions[n]!] };
          void this.#prepareOn(slot, request, { signal: control.signal, progress: regionProgress }).then(
            (prepared) => {
              planned[n] = prepared;
              if (settled) return;
              if (++finished < count) return assign();
              settle(null, {
                plan: { ...prepared.plan, regions: planned.flatMap((one) => one.plan.regions) },
                regions: planned.flatMap((one) => one.regions),
              });
            },
            (error: unknown) => settled || settle(error, null),
          );
        }
        if (next < count && this.#slots.every((slot) => slot.dead)) {
          settle(
            new StirError('INTERNAL', 'The render workers stopped while building the motion plan.'),
            null,
          );
        }
      };
      this.#slotChanged.add(assign);
      control.signal.addEventListener('abort', assign, { once: true });
      assign();
    });
  }

  /** Builds the plan of `input` on one worker. */
  #prepareOn(slot: Slot, input: PlanInput, control: JobControl): Promise<PreparedPlan> {
    this.#planners.add(slot);
    return new Promise<PreparedPlan>((resolve, reject) => {
      const onAbort = () => {
        // The worker is still building: it stays busy (closing the pool stops it), its answer unheard.
        slot.preparing = {
          regions: input.regions,
          progress: () => undefined,
          resolve: () => undefined,
          reject: () => undefined,
        };
        reject(cancelled());
      };
      const done = () => control.signal.removeEventListener('abort', onAbort);
      control.signal.addEventListener('abort', onAbort, { once: true });
      slot.preparing = {
        regions: input.regions,
        progress: (stage, fraction) => control.progress(stage, fraction),
        resolve: (prepared) => (done(), resolve(prepared)),
        reject: (error) => (done(), reject(error)),
      };
      slot.worker.postMessage({ type: 'prepare', input } satisfies WorkerRequest);
    });
  }

  /** The first worker to be ready; null when every one has died (or there are none). */
  #firstReady(signal: AbortSignal): Promise<Slot | null> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (signal.aborted || this.#closed) {
          this.#slotChanged.delete(check);
          reject(cancelled());
          return;
        }
        const ready = this.#slots.find((slot) => slot.ready && !slot.dead && !slot.preparing);
        if (ready || this.#slots.every((slot) => slot.dead)) {
          this.#slotChanged.delete(check);
          signal.removeEventListener('abort', check);
          resolve(ready ?? null);
        }
      };
      this.#slotChanged.add(check);
      signal.addEventListener('abort', check, { once: true });
      check();
    });
  }

  /** Hands the workers the plan; frames can be asked for from now on. */
  setPlan(plan: FramePlan): void {
    this.#plan = plan;
    for (const slot of this.#slots) this.#sendPlan(slot);
    this.#pump();
  }

  get workerCount(): number {
    return this.#slots.filter((slot) => !slot.dead).length;
  }

  /** Resolves once every worker is ready or has died (never needed for rendering, which starts at once). */
  whenWorkersSettled(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.#closed || this.#slots.every((slot) => slot.ready || slot.dead)) {
          this.#slotChanged.delete(check);
          resolve();
        }
      };
      this.#slotChanged.add(check);
      check();
    });
  }

  /** Frames rendered by the workers and the main thread, the workers alive, and where the plan was built. */
  get stats(): RenderStats {
    return {
      ...this.#counts,
      workersAlive: this.workerCount,
      plannedOn: this.#plannedOn,
      planners: this.#planners.size,
    };
  }

  render(index: number, signal?: AbortSignal): Promise<RgbaImage> {
    if (this.#closed) return Promise.reject(new StirError('INTERNAL', 'The animation was disposed.'));
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<RgbaImage>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, index, signal, resolve, reject, onAbort: null };
      if (signal) {
        job.onAbort = () => this.#abort(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.#queue.push(job);
      this.#pump();
    });
  }

  /**
   * Gives a frame's memory to a worker to render a later frame into (worker.ts): the caller is done with
   * it, and its buffer is detached here. Ignored unless it is the whole buffer of a frame of this plan.
   */
  recycle(data: Uint8Array): void {
    const plan = this.#plan;
    const buffer = data.buffer;
    if (this.#closed || !plan || !(buffer instanceof ArrayBuffer)) return;
    if (data.byteOffset !== 0 || buffer.byteLength !== plan.width * plan.height * 4) return;
    const live = this.#slots.filter((slot) => slot.ready && !slot.dead);
    const slot = live[this.#recycleTurn++ % Math.max(1, live.length)];
    slot?.worker.postMessage({ type: 'recycle', buffer } satisfies WorkerRequest, [buffer]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    Atomics.add(this.#epoch, 0, 1);
    for (const job of this.#queue.splice(0))
      this.#finish(job, null, new StirError('CANCELLED', 'The animation was disposed.'));
    // Workers go back warm, even one rendering a frame (the epoch bumped above stops it within a few
    // rows: a preview that has what it needs drops the frames rendered ahead) or still loading: each says
    // 'ready' again once it has dropped this plan. One building a plan is stopped: that cannot be cancelled.
    const stopped: Promise<unknown>[] = [];
    for (const slot of this.#slots) {
      if (slot.dead) continue;
      slot.dead = true;
      slot.detach();
      if (this.#source && !slot.preparing) this.#source.give(slot.worker);
      else stopped.push(slot.worker.terminate().catch(() => 0));
    }
    await Promise.all(stopped);
    for (const slot of this.#slots) {
      const job = slot.job;
      slot.job = null;
      if (job) this.#finish(job, null, cancelled());
    }
    for (const slot of this.#slots) {
      const preparing = slot.preparing;
      slot.preparing = null;
      preparing?.reject(cancelled());
    }
    for (const listener of [...this.#slotChanged]) listener();
  }

  #startSlot(source: WarmWorkers): void {
    const { worker, ready } = source.take();
    const onMessage = (reply: WorkerReply) => this.#reply(slot, reply);
    const onError = (error: Error) => this.#lose(slot, error);
    const onExit = () => this.#lose(slot, null);
    const slot: Slot = {
      worker,
      ready,
      dead: false,
      job: null,
      preparing: null,
      detach: () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      },
    };
    this.#slots.push(slot);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  }

  #sendPlan(slot: Slot): void {
    if (this.#plan && !slot.dead)
      slot.worker.postMessage({ type: 'plan', plan: this.#plan, epoch: this.#epoch } satisfies WorkerRequest);
  }

  #reply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'ready') {
      slot.ready = true;
      for (const listener of [...this.#slotChanged]) listener();
      this.#pump();
      return;
    }
    if (reply.type === 'progress' || reply.type === 'prepared' || reply.type === 'prepareFailed') {
      this.#prepareReply(slot, reply);
      return;
    }
    const job = slot.job;
    slot.job = null;
    if (job && job.id === reply.id) {
      if (reply.type === 'frame') {
        this.#counts.workerFrames++;
        const { width, height } = this.#plan!;
        this.#finish(job, { width, height, data: new Uint8Array(reply.buffer) }, null);
      } else if (reply.cancelled && !job.signal?.aborted && !this.#closed) {
        // Stopped for someone else's cancellation: render it again.
        this.#queue.unshift(job);
      } else {
        this.#finish(
          job,
          null,
          reply.cancelled
            ? cancelled()
            : new StirError('INTERNAL', `A frame could not be rendered: ${reply.message}`),
        );
      }
    }
    this.#pump();
  }

  #prepareReply(
    slot: Slot,
    reply: Extract<WorkerReply, { type: 'progress' | 'prepared' | 'prepareFailed' }>,
  ): void {
    const preparing = slot.preparing;
    if (!preparing) return;
    if (reply.type === 'progress') {
      preparing.progress(reply.stage, reply.fraction);
      return;
    }
    slot.preparing = null;
    if (reply.type === 'prepared') {
      const regions = reply.regions.map((report, i) => ({
        ...report,
        motionArea: report.motionArea ?? preparing.regions[i]!.mask,
      }));
      preparing.resolve({ plan: reply.plan, regions });
    } else preparing.reject(StirError.fromPayload(reply.error));
  }

  #lose(slot: Slot, error: Error | null): void {
    if (slot.dead) return;
    slot.dead = true;
    slot.ready = false;
    const preparing = slot.preparing;
    slot.preparing = null;
    preparing?.reject(
      this.#closed
        ? cancelled()
        : new StirError(
            'INTERNAL',
            `A render worker stopped while building the motion plan${error ? `: ${error.message}` : ''}.`,
          ),
    );
    for (const listener of [...this.#slotChanged]) listener();
    const job = slot.job;
    slot.job = null;
    if (job && this.#closed) this.#finish(job, null, cancelled());
    else if (job) {
      // Another worker (or the main thread) takes the frame over.
      this.#queue.unshift(job);
      if (error) process.emitWarning(`A render worker stopped: ${error.message}`);
    }
    this.#pump();
  }

  #abort(job: Job): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#finish(job, null, cancelled());
      return;
    }
    if (this.#slots.some((slot) => slot.job === job)) Atomics.add(this.#epoch, 0, 1);
  }

  #finish(job: Job, image: RgbaImage | null, error: unknown): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    job.onAbort = null;
    if (image) job.resolve(image);
    else job.reject(error);
  }

  #pump(): void {
    if (this.#closed || !this.#plan) return;
    for (const slot of this.#slots) {
      if (!slot.ready || slot.dead || slot.job) continue;
      const job = this.#queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.postMessage({
        type: 'render',
        id: job.id,
        index: job.index,
        epoch: Atomics.load(this.#epoch, 0),
      } satisfies WorkerRequest);
    }
    // No worker up yet (or none at all): the main thread renders, one frame per turn of the event loop.
    const anyReady = this.#slots.some((slot) => slot.ready && !slot.dead);
    if (!anyReady && this.#queue.length > 0 && !this.#inlineScheduled) {
      this.#inlineScheduled = true;
      setImmediate(() => {
        this.#inlineScheduled = false;
        if (this.#closed || this.#slots.some((slot) => slot.ready && !slot.dead)) {
          this.#pump();
          return;
        }
        const job = this.#queue.shift();
        if (job) this.#renderInline(job);
        this.#pump();
      });
    }
  }

  #renderInline(job: Job): void {
    const plan = this.#plan!;
    const data = new Uint8Array(plan.width * plan.height * 4);
    try {
      renderFrameInto(plan, job.index, data, this.#scratch, () => job.signal?.aborted === true);
      this.#counts.inlineFrames++;
      this.#finish(job, { width: plan.width, height: plan.height, data }, null);
    } catch (caught) {
      this.#finish(job, null, StirError.fromCaught(caught));
    }
  }
}

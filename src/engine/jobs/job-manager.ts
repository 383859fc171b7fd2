// Long work runs as a job: it reports progress (stage, fraction, ETA) as events, can be cancelled, and
// ends with exactly one jobDone or jobFailed event. Starting a job answers at once with its id.
import { randomUUID } from 'node:crypto';
import { StirError, type JobDone, type JobKind } from '../../shared/index.js';
import type { EventBus } from '../../shared/rpc/event-bus.js';
import type { JobControl } from '../render/types.js';
import { EtaEstimator } from './eta.js';

type ResultOf<K extends JobKind> = Extract<JobDone, { kind: K }>['result'];

export interface JobContext extends JobControl {
  readonly jobId: string;
}

interface RunningJob {
  kind: JobKind;
  controller: AbortController;
  done: Promise<void>;
  /** Jobs of the same group replace each other: a new preview render cancels the last one. */
  group: string | null;
}

/** Progress events are throttled: a person cannot read more than a few a second. */
const PROGRESS_INTERVAL_MS = 100;

export class JobManager {
  readonly #bus: EventBus;
  readonly #jobs = new Map<string, RunningJob>();

  constructor(bus: EventBus) {
    this.#bus = bus;
  }

  start<K extends JobKind>(
    kind: K,
    run: (context: JobContext) => Promise<ResultOf<K>>,
    options: { group?: string } = {},
  ): { jobId: string; kind: K } {
    const group = options.group ?? null;
    if (group !== null) {
      for (const [id, job] of this.#jobs) if (job.group === group) this.cancel(id);
    }
    const jobId = randomUUID();
    const controller = new AbortController();
    const eta = new EtaEstimator();
    let lastSent = 0;
    let lastStage = '';
    const bus = this.#bus;

    const context: JobContext = {
      jobId,
      signal: controller.signal,
      progress(stage, fraction) {
        if (controller.signal.aborted) return;
        const clamped = Math.min(1, Math.max(0, fraction));
        const now = performance.now();
        const etaSeconds = eta.update(clamped);
        if (stage === lastStage && clamped < 1 && now - lastSent < PROGRESS_INTERVAL_MS) return;
        lastSent = now;
        lastStage = stage;
        bus.emit('jobProgress', { jobId, kind, stage, fraction: clamped, etaSeconds });
      },
      device(info) {
        if (controller.signal.aborted) return;
        const { device, fellBackFrom, reason } = info;
        bus.emit('jobDevice', { jobId, device, fellBackFrom, reason });
      },
    };

    const done = (async () => {
      // Let the caller receive the job id before the first event.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        if (controller.signal.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
        const result = await run(context);
        if (controller.signal.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
        bus.emit('jobDone', { jobId, kind, result } as JobDone);
      } catch (caught) {
        const error = controller.signal.aborted
          ? new StirError('CANCELLED', 'The job was cancelled.')
          : StirError.fromCaught(caught);
        if (error.code === 'INTERNAL') console.error(`stir: ${kind} job failed`, caught);
        bus.emit('jobFailed', { jobId, kind, error: error.toPayload() });
      } finally {
        this.#jobs.delete(jobId);
      }
    })();

    this.#jobs.set(jobId, { kind, controller, done, group });
    return { jobId, kind };
  }

  cancel(jobId: string): boolean {
    const job = this.#jobs.get(jobId);
    if (!job) return false;
    job.controller.abort();
    return true;
  }

  /** Waits for a job to end (tests, shutdown). */
  async settled(jobId: string): Promise<void> {
    await this.#jobs.get(jobId)?.done;
  }

  get running(): number {
    return this.#jobs.size;
  }

  async cancelAll(): Promise<void> {
    const all = [...this.#jobs.values()];
    for (const job of all) job.controller.abort();
    await Promise.all(all.map((job) => job.done));
  }
}

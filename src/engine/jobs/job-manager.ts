// Long work runs as a job: it reports progress (stage, fraction, ETA) as events, can be cancelled, and
// ends with exactly one jobDone or jobFailed event. Starting a job answers at once with its id.
//
// Renders and exports go through one queue with a bounded number of slots (issue 14, point 3): each
// one starts a pool of render workers (one per core) and holds its plan in memory, so running every
// request at once multiplied threads and memory (4 renders: 20 -> 59 threads, 525 -> 1215 MB for 1 -> 8)
// without finishing any sooner. A job that waits says where it is in line as a jobProgress event with
// `queuePosition`; other kinds (pack installs wait on the network, not the CPU) start at once.
import { randomUUID } from 'node:crypto';
import { StirError, type JobDone, type JobKind } from '../../shared/index.js';
import type { EventBus } from '../../shared/rpc/event-bus.js';
import type { JobControl } from '../render/types.js';
import { EtaEstimator } from './eta.js';

type ResultOf<K extends JobKind> = Extract<JobDone, { kind: K }>['result'];

export interface JobContext extends JobControl {
  readonly jobId: string;
}

export interface JobManagerOptions {
  /** Jobs of these kinds share the queue's slots (default: render and export). */
  queuedKinds?: readonly JobKind[];
  /** How many queued-kind jobs run at once (default 2: an export and a preview side by side). */
  slots?: number;
}

interface Job {
  id: string;
  kind: JobKind;
  controller: AbortController;
  /** Jobs of the same group replace each other: a new preview render cancels the last one. */
  group: string | null;
  done: Promise<void>;
  /** Whether the job runs in one of the queue's slots (its kind is queued). */
  usesSlot: boolean;
  holdsSlot: boolean;
  /** 1-based place in line while waiting; 0 once it runs (or when it never waited). */
  position: number;
  /** Lets the job run: called when it gets a slot, or when it is cancelled while waiting. */
  admit(): void;
}

export const DEFAULT_JOB_SLOTS = 2;

/** Progress events are throttled: a person cannot read more than a few a second. */
const PROGRESS_INTERVAL_MS = 100;

const cancelledError = () => new StirError('CANCELLED', 'The job was cancelled.');

export class JobManager {
  readonly #bus: EventBus;
  readonly #jobs = new Map<string, Job>();
  readonly #queuedKinds: ReadonlySet<JobKind>;
  readonly #slots: number;
  /** Jobs waiting for a slot, first in line first. */
  readonly #waiting: Job[] = [];
  #active = 0;

  constructor(bus: EventBus, options: JobManagerOptions = {}) {
    this.#bus = bus;
    this.#queuedKinds = new Set(options.queuedKinds ?? ['render', 'export']);
    this.#slots = Math.max(1, Math.floor(options.slots ?? DEFAULT_JOB_SLOTS));
  }

  start<K extends JobKind>(
    kind: K,
    run: (context: JobContext) => Promise<ResultOf<K>>,
    options: { group?: string } = {},
  ): { jobId: string; kind: K } {
    const group = options.group ?? null;
    if (group !== null) {
      for (const [id, other] of this.#jobs) if (other.group === group) this.cancel(id);
    }
    const jobId = randomUUID();
    const controller = new AbortController();
    let admit = () => undefined as void;
    const admitted = new Promise<void>((resolve) => {
      admit = resolve;
    });
    const job: Job = {
      id: jobId,
      kind,
      controller,
      group,
      done: Promise.resolve(),
      usesSlot: this.#queuedKinds.has(kind),
      holdsSlot: false,
      position: 0,
      admit,
    };
    // Jobs join the line in the order they were asked for, before any of them looks for a slot.
    if (job.usesSlot) {
      this.#waiting.push(job);
      controller.signal.addEventListener('abort', () => this.#leaveLine(job), { once: true });
    } else job.admit();

    job.done = (async () => {
      // Let the caller receive the job id before the first event.
      await new Promise((resolve) => setImmediate(resolve));
      this.#pump();
      try {
        await admitted;
        if (controller.signal.aborted) throw cancelledError();
        const result = await run(this.#context(job));
        if (controller.signal.aborted) throw cancelledError();
        this.#bus.emit('jobDone', { jobId, kind, result } as JobDone);
      } catch (caught) {
        const error = controller.signal.aborted ? cancelledError() : StirError.fromCaught(caught);
        if (error.code === 'INTERNAL') console.error(`stir: ${kind} job failed`, caught);
        this.#bus.emit('jobFailed', { jobId, kind, error: error.toPayload() });
      } finally {
        this.#jobs.delete(jobId);
        if (job.holdsSlot) {
          job.holdsSlot = false;
          this.#active--;
        }
        this.#pump();
      }
    })();

    this.#jobs.set(jobId, job);
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

  /** Jobs not yet ended: running or waiting. */
  get running(): number {
    return this.#jobs.size;
  }

  /** Jobs waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  async cancelAll(): Promise<void> {
    const all = [...this.#jobs.values()];
    for (const job of all) job.controller.abort();
    await Promise.all(all.map((job) => job.done));
  }

  #context(job: Job): JobContext {
    const { id: jobId, kind, controller } = job;
    const bus = this.#bus;
    // From the moment the job runs: time spent waiting in line says nothing about how long it takes.
    const eta = new EtaEstimator();
    let lastSent = 0;
    let lastStage = '';
    return {
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
  }

  /** Gives free slots to the first in line, then tells every job still waiting its (new) place. */
  #pump(): void {
    while (this.#active < this.#slots && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      this.#active++;
      job.holdsSlot = true;
      if (job.position > 0) {
        job.position = 0;
        this.#bus.emit('jobProgress', {
          jobId: job.id,
          kind: job.kind,
          stage: 'Starting',
          fraction: 0,
          etaSeconds: null,
        });
      }
      job.admit();
    }
    for (const [index, job] of this.#waiting.entries()) {
      const position = index + 1;
      if (position === job.position) continue;
      job.position = position;
      this.#bus.emit('jobProgress', {
        jobId: job.id,
        kind: job.kind,
        stage: `Waiting (${ordinal(position)} in line)`,
        fraction: 0,
        etaSeconds: null,
        queuePosition: position,
      });
    }
  }

  /** A job cancelled while waiting leaves the line at once; the ones behind it move up. */
  #leaveLine(job: Job): void {
    const index = this.#waiting.indexOf(job);
    if (index < 0) return;
    this.#waiting.splice(index, 1);
    job.admit();
    this.#pump();
  }
}

/** 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd". */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

// Runs a job to its end through any client: listens before the job starts (events can arrive before the
// call's reply on some transports), then settles with the job's result or its error.
import { StirError } from '../errors.js';
import type {
  JobDone,
  JobKind,
  JobProgress,
  JobStarted,
  RenderFrame,
  StirClient,
  Unsubscribe,
} from '../contract/index.js';

export interface RunJobHandlers {
  onProgress?(progress: JobProgress): void;
  onFrame?(frame: RenderFrame): void;
  /** Called with the job id as soon as it is known (to offer a Cancel button). */
  onStarted?(started: JobStarted): void;
}

export type JobResult<K extends JobKind> = Extract<JobDone, { kind: K }>['result'];

export async function runJob<K extends JobKind>(
  client: StirClient,
  start: () => Promise<JobStarted>,
  kind: K,
  handlers: RunJobHandlers = {},
  signal?: AbortSignal,
): Promise<JobResult<K>> {
  let jobId: string | null = null;
  const early: Array<() => void> = [];
  let settle: { resolve(value: unknown): void; reject(error: unknown): void } | null = null;
  const finished = new Promise<unknown>((resolve, reject) => {
    settle = { resolve, reject };
  });

  const mine = (id: string, replay: () => void): boolean => {
    if (jobId === null) {
      early.push(replay);
      return false;
    }
    return id === jobId;
  };

  const subscriptions: Unsubscribe[] = [
    client.on('jobProgress', (p) => {
      if (mine(p.jobId, () => p.jobId === jobId && handlers.onProgress?.(p))) handlers.onProgress?.(p);
    }),
    client.on('renderFrame', (f) => {
      if (mine(f.jobId, () => f.jobId === jobId && handlers.onFrame?.(f))) handlers.onFrame?.(f);
    }),
    client.on('jobDone', (d) => {
      const finish = () => {
        if (d.jobId !== jobId) return;
        if (d.kind !== kind)
          settle?.reject(new StirError('INTERNAL', `Expected a ${kind} job, got ${d.kind}.`));
        else settle?.resolve(d.result);
      };
      if (mine(d.jobId, finish)) finish();
    }),
    client.on('jobFailed', (f) => {
      const fail = () => f.jobId === jobId && settle?.reject(StirError.fromPayload(f.error));
      if (mine(f.jobId, fail)) fail();
    }),
  ];

  const onAbort = () => {
    if (jobId) void client.cancelJob({ jobId });
  };
  try {
    const started = await start();
    jobId = started.jobId;
    handlers.onStarted?.(started);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    for (const replay of early.splice(0)) replay();
    return (await finished) as JobResult<K>;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const unsubscribe of subscriptions) unsubscribe();
  }
}

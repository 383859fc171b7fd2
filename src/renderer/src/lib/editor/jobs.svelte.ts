// Long jobs as the person sees them: what is running, its stage, how far, how long is left, and a way to
// stop it. Render (preview) and export jobs both report here; the top bar shows them all.
import type { JobKind, JobProgress } from '@shared/index.js';

export interface JobView {
  jobId: string;
  kind: JobKind;
  /** What the job is, in words ("Preview", "Export to cat.mp4"). */
  title: string;
  stage: string;
  fraction: number;
  etaSeconds: number | null;
  /** Its place in line while it waits for the engine (1 = next); null once it runs. */
  queuePosition: number | null;
  cancel: () => void;
}

export class Jobs {
  items = $state.raw<readonly JobView[]>([]);

  start(jobId: string, kind: JobKind, title: string, cancel: () => void): void {
    this.items = [
      ...this.items.filter((j) => j.jobId !== jobId),
      { jobId, kind, title, stage: 'Starting', fraction: 0, etaSeconds: null, queuePosition: null, cancel },
    ];
  }

  progress(p: JobProgress): void {
    this.items = this.items.map((j) =>
      j.jobId === p.jobId
        ? {
            ...j,
            stage: p.stage,
            fraction: p.fraction,
            etaSeconds: p.etaSeconds,
            queuePosition: p.queuePosition ?? null,
          }
        : j,
    );
  }

  end(jobId: string): void {
    this.items = this.items.filter((j) => j.jobId !== jobId);
  }

  ofKind(kind: JobKind): JobView | null {
    return this.items.find((j) => j.kind === kind) ?? null;
  }
}
